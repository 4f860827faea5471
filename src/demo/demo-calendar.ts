/**
 * When demo interactions close: the last D calendar days in the report time zone, today only up to now,
 * busier on weekdays and during office hours. Days are cut in the report time zone so the dashboard's
 * daily and weekly charts show the weekday rhythm where a support lead expects it.
 */
import { cumulative, pickIndex, type Random } from './random';

const HOUR_MS = 3_600_000;

/** Relative volume by local hour: quiet nights, a morning peak, a dip at lunch, a long afternoon. */
const HOURLY = [0.15, 0.1, 0.08, 0.08, 0.1, 0.2, 0.45, 0.9, 1.5, 1.9, 2.0, 1.9, 1.55, 1.75, 1.9, 1.85, 1.65, 1.35, 1.05, 0.85, 0.7, 0.55, 0.4, 0.25];
const HOURLY_TOTAL = HOURLY.reduce((a, b) => a + b, 0);

/** Relative volume by weekday, Sunday first. */
const WEEKDAY = [0.42, 1.12, 1.06, 1.0, 0.98, 0.9, 0.48];

/** One local calendar day of the demo period. */
export interface DemoDay {
  /** 0 for the oldest day. */
  readonly index: number;
  /** Local midnight (epoch ms). */
  readonly start: number;
  /** The next local midnight, or now for today (exclusive). */
  readonly end: number;
  /** Expected volume relative to an average full weekday. */
  readonly weight: number;
  /** Hour weights clipped to [start, end), for sampling close times. */
  readonly hours: Float64Array;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** The zone's offset from UTC at an instant, in ms (positive east of Greenwich). */
function zoneOffset(timeZone: string, instant: number): number {
  let format = formatters.get(timeZone);
  if (format === undefined) {
    format = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
    formatters.set(timeZone, format);
  }
  const parts = Object.fromEntries(format.formatToParts(instant).map((p) => [p.type, Number(p.value)]));
  const asUtc = Date.UTC(parts.year ?? 0, (parts.month ?? 1) - 1, parts.day ?? 1, parts.hour ?? 0, parts.minute ?? 0, parts.second ?? 0);
  return asUtc - (instant - (instant % 1000));
}

/** Local midnight of the calendar date (y, m, d) in the zone; m and d may overflow as in Date.UTC. */
function localMidnight(timeZone: string, y: number, m: number, d: number): number {
  const wall = Date.UTC(y, m, d);
  const guess = wall - zoneOffset(timeZone, wall);
  // A second pass settles days whose offset changes (daylight saving) between wall time and the guess.
  return wall - zoneOffset(timeZone, guess);
}

/** The `days` local days ending with today, oldest first, with their expected volume. */
export function demoDays(now: number, days: number, timeZone: string): DemoDay[] {
  const today = new Date(now + zoneOffset(timeZone, now));
  const [y, m, d] = [today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate()];
  const out: DemoDay[] = [];
  for (let i = 0; i < days; i++) {
    const back = days - 1 - i;
    const start = localMidnight(timeZone, y, m, d - back);
    const end = back === 0 ? now : localMidnight(timeZone, y, m, d - back + 1);
    const hours = new Float64Array(24);
    for (let h = 0; h < 24; h++) {
      const from = start + h * HOUR_MS;
      const overlap = Math.max(0, Math.min(from + HOUR_MS, end) - from) / HOUR_MS;
      hours[h] = (HOURLY[h] as number) * overlap;
    }
    const weekday = new Date(start + 12 * HOUR_MS + zoneOffset(timeZone, start + 12 * HOUR_MS)).getUTCDay();
    const mass = hours.reduce((a, b) => a + b, 0) / HOURLY_TOTAL;
    out.push({ index: i, start, end, weight: (WEEKDAY[weekday] as number) * mass, hours });
  }
  return out;
}

/** Splits `total` into whole counts proportional to `weights` (largest remainder, ties to the earlier). */
export function allocate(total: number, weights: readonly number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  if (sum <= 0) return weights.map((_, i) => (i === weights.length - 1 ? total : 0));
  const exact = weights.map((w) => (w / sum) * total);
  const counts = exact.map(Math.floor);
  let left = total - counts.reduce((a, b) => a + b, 0);
  const order = exact.map((e, i) => ({ i, rest: e - Math.floor(e) })).sort((a, b) => b.rest - a.rest || a.i - b.i);
  for (const { i } of order) {
    if (left-- <= 0) break;
    counts[i] = (counts[i] as number) + 1;
  }
  return counts;
}

/** `count` close instants within the day, in ascending order, following the hourly pattern. */
export function closeTimes(rng: Random, day: DemoDay, count: number): Float64Array {
  const totals = cumulative(Array.from(day.hours));
  const times = new Float64Array(count);
  for (let k = 0; k < count; k++) {
    const h = pickIndex(rng, totals);
    const from = day.start + h * HOUR_MS;
    const span = Math.min(from + HOUR_MS, day.end) - from;
    // A day with no time left (now is exactly midnight) still gets its share, just before now.
    times[k] = span > 0 ? Math.min(day.end - 1, from + Math.floor(rng() * span)) : day.end - 1;
  }
  return times.sort();
}
