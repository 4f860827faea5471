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
  /** One-click periods ending today, for the filter form. */
  readonly presets: readonly PeriodPreset[];
}

export interface PeriodPreset {
  readonly label: string;
  readonly from: string;
  readonly to: string;
}

/** The periods a lead picks most: rolling windows and calendar months ending today. */
export function periodPresets(today: string): PeriodPreset[] {
  const monthStart = `${today.slice(0, 7)}-01`;
  const lastMonthEnd = addDays(monthStart, -1);
  return [
    { label: 'Last 7 days', from: addDays(today, -6), to: today },
    { label: 'Last 30 days', from: addDays(today, -29), to: today },
    { label: 'This month', from: monthStart, to: today },
    { label: 'Last month', from: `${lastMonthEnd.slice(0, 7)}-01`, to: lastMonthEnd },
    { label: 'Last 90 days', from: addDays(today, -89), to: today },
    { label: 'This year', from: `${today.slice(0, 4)}-01-01`, to: today },
  ];
}

export function readReportFilters(query: Record<string, unknown>, clock: Clock, timeZone: string): PageFilters {
  const today = dayOf(clock(), timeZone);
  const issues: FieldIssue[] = [];
  // Empty form fields mean "not set": a GET form sends every field, filled or not.
  const given = Object.fromEntries(Object.entries(query).filter(([, v]) => v !== ''));
  const filters = parseFilters(given, today, issues);
  // The overview compares with the period before, so both must stay within ordinary calendar years.
  if (issues.length === 0 && (filters.from < EARLIEST || filters.to > LATEST)) issues.push({ path: filters.from < EARLIEST ? 'from' : 'to', message: `must be between ${EARLIEST} and ${LATEST}` });
  const presets = periodPresets(today);
  if (issues.length === 0) return { filters, issues, presets };
  const clean = Object.fromEntries(Object.entries(given).filter(([k]) => !issues.some((i) => i.path === k)));
  const fallback = parseFilters(clean, today, []);
  const usable = fallback.from <= fallback.to && fallback.from >= EARLIEST && fallback.to <= LATEST;
  return { filters: usable ? fallback : parseFilters({}, today, []), issues, presets };
}

/**
 * What "change" is measured against: the whole previous month when the period is one calendar month
 * (or this month so far), so "this month against last month" reads as it says; otherwise the period of
 * the same length just before.
 */
export function previousPeriod(f: ReportFilters): ReportFilters {
  if (f.from.endsWith('-01') && f.from.slice(0, 7) === f.to.slice(0, 7)) {
    const lastMonthEnd = addDays(f.from, -1);
    return { ...f, from: `${lastMonthEnd.slice(0, 7)}-01`, to: lastMonthEnd };
  }
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
