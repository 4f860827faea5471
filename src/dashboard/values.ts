/** Small readers and formatters every dashboard page shares. */

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether a path segment can be a row id at all: PostgreSQL refuses to compare a uuid column with anything else. */
export function isUuid(value: string): boolean {
  return UUID.test(value);
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/**
 * An instant as `YYYY-MM-DD HH:MM` in the report time zone (REPORT_TIMEZONE), the zone every other
 * dashboard date is cut in; the ISO form goes into `<time datetime>` for machines.
 */
export function formatInstant(ms: number | null, timeZone: string): { text: string; iso: string } | null {
  if (ms === null || !Number.isFinite(ms)) return null;
  let format = formatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    formatters.set(timeZone, format);
  }
  const parts = Object.fromEntries(format.formatToParts(new Date(ms)).map((p) => [p.type, p.value]));
  return { text: `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}`, iso: new Date(ms).toISOString() };
}
