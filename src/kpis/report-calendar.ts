/**
 * Report dates in REPORT_TIMEZONE: the instants where a local day starts (DST-aware), and the day,
 * ISO week (its Monday) and month an instant falls in. Pure; Intl does the time-zone arithmetic.
 */
const DAY_MS = 86_400_000;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
    formatters.set(timeZone, f);
  }
  return f;
}

/** The local wall-clock fields of an instant. */
function wallClock(ms: number, timeZone: string): { year: number; month: number; day: number; hour: number; minute: number; second: number } {
  const parts: Record<string, number> = {};
  for (const p of formatter(timeZone).formatToParts(ms)) if (p.type !== 'literal') parts[p.type] = Number(p.value);
  return { year: parts.year ?? 0, month: parts.month ?? 0, day: parts.day ?? 0, hour: parts.hour ?? 0, minute: parts.minute ?? 0, second: parts.second ?? 0 };
}

/** How far the zone's wall clock is ahead of UTC at this instant, in ms. */
function offsetAt(ms: number, timeZone: string): number {
  const w = wallClock(ms, timeZone);
  return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second) - Math.floor(ms / 1000) * 1000;
}

/** True for a real calendar date written YYYY-MM-DD, 1970 to 9998 (the day after must still be YYYY-MM-DD). */
export function isReportDate(value: string): boolean {
  const m = DATE.exec(value);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d && y >= 1970 && y <= 9998;
}

/** The instant a local day begins (midnight, or the first instant after a DST gap at midnight). */
export function startOfDay(date: string, timeZone: string): number {
  const m = DATE.exec(date);
  if (!m) throw new RangeError(`not a date: ${date}`);
  const guess = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  // Two rounds settle the offset even when midnight sits next to a DST change.
  let instant = guess - offsetAt(guess, timeZone);
  instant = guess - offsetAt(instant, timeZone);
  if (dayOf(instant, timeZone) !== date) instant += 3_600_000;
  return instant;
}

/** The local date (YYYY-MM-DD) of an instant. */
export function dayOf(ms: number, timeZone: string): string {
  const w = wallClock(ms, timeZone);
  return `${w.year}-${String(w.month).padStart(2, '0')}-${String(w.day).padStart(2, '0')}`;
}

const QUARTER_HOUR_MS = 900_000;

/**
 * dayOf for many instants: remembered per quarter hour, where zone offsets change (Intl's arithmetic
 * costs microseconds a call, and ingest and the raw KPI query ask for thousands of close instants). A
 * quarter hour whose ends fall on different days (an offset that is not a multiple of 15 minutes, as
 * some zones had before 1972) is worked out for each instant. Forgets everything past `maxEntries`.
 */
export function dayLookup(timeZone: string, maxEntries = 100_000): (ms: number) => string {
  const memo = new Map<number, string | null>();
  return (ms) => {
    const slot = Math.floor(ms / QUARTER_HOUR_MS);
    let day = memo.get(slot);
    if (day === undefined) {
      if (memo.size >= maxEntries) memo.clear();
      const first = dayOf(slot * QUARTER_HOUR_MS, timeZone);
      day = first === dayOf(slot * QUARTER_HOUR_MS + QUARTER_HOUR_MS - 1, timeZone) ? first : null;
      memo.set(slot, day);
    }
    return day ?? dayOf(ms, timeZone);
  };
}

/** `date` moved by whole days (calendar arithmetic, no zone involved). */
export function addDays(date: string, days: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d) + days * DAY_MS).toISOString().slice(0, 10);
}

/** The Monday of the ISO week a date falls in. */
export function weekOf(date: string): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const weekday = (new Date(Date.UTC(y, m - 1, d)).getUTCDay() + 6) % 7;
  return addDays(date, -weekday);
}

export function monthOf(date: string): string {
  return date.slice(0, 7);
}

/** The instants [start, end) covering the local dates from..to inclusive. */
export function rangeOf(from: string, to: string, timeZone: string): { start: number; end: number } {
  return { start: startOfDay(from, timeZone), end: startOfDay(addDays(to, 1), timeZone) };
}
