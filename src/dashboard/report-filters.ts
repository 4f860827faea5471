/**
 * The report filters every KPI page takes (CONTRACT §5: the KPI query's from, to and filters), read from
 * the page's query string. An invalid value does not break the page: it is named in a message and the
 * default used instead, so a lead who mistypes a date still sees a report.
 */
import type { Clock } from '../clock';
import type { FieldIssue } from '../errors';
import { addDays, dayOf } from '../kpis/report-calendar';
import { parseFilters, type ReportFilters } from '../kpis/schema';

const EARLIEST = '2000-01-01';
const LATEST = '2999-12-31';

export interface PageFilters {
  readonly filters: ReportFilters;
  readonly issues: readonly FieldIssue[];
}

export function readReportFilters(query: Record<string, unknown>, clock: Clock, timeZone: string): PageFilters {
  const today = dayOf(clock(), timeZone);
  const issues: FieldIssue[] = [];
  // Empty form fields mean "not set": a GET form sends every field, filled or not.
  const given = Object.fromEntries(Object.entries(query).filter(([, v]) => v !== ''));
  const filters = parseFilters(given, today, issues);
  // The overview compares with the period before, so both must stay within ordinary calendar years.
  if (issues.length === 0 && (filters.from < EARLIEST || filters.to > LATEST)) issues.push({ path: filters.from < EARLIEST ? 'from' : 'to', message: `must be between ${EARLIEST} and ${LATEST}` });
  if (issues.length === 0) return { filters, issues };
  const clean = Object.fromEntries(Object.entries(given).filter(([k]) => !issues.some((i) => i.path === k)));
  const fallback = parseFilters(clean, today, []);
  const usable = fallback.from <= fallback.to && fallback.from >= EARLIEST && fallback.to <= LATEST;
  return { filters: usable ? fallback : parseFilters({}, today, []), issues };
}

/** The period of the same length just before: what "change" is measured against. */
export function previousPeriod(f: ReportFilters): ReportFilters {
  const days = Math.round((Date.parse(`${f.to}T00:00:00Z`) - Date.parse(`${f.from}T00:00:00Z`)) / 86_400_000) + 1;
  const to = addDays(f.from, -1);
  return { ...f, from: addDays(to, -(days - 1)), to };
}

/** The filters as query-string pairs, for links that keep them. */
export function filterParams(f: ReportFilters): Record<string, string> {
  const out: Record<string, string> = { from: f.from, to: f.to };
  if (f.agent !== null) out.agent = f.agent;
  if (f.team !== null) out.team = f.team;
  if (f.channel !== null) out.channel = f.channel;
  return out;
}

export function withParams(path: string, params: Record<string, string | null | undefined>): string {
  const search = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== null && v !== undefined && v !== '') search.set(k, v);
  const s = search.toString();
  return s ? `${path}?${s}` : path;
}

/** One sentence naming every parameter that was not understood. */
export function describeIssues(issues: readonly FieldIssue[]): string {
  return `Some filters were not understood: ${issues.map((i) => `${i.path} ${i.message}`).join('; ')}.`;
}
