/**
 * The agents, teams and channels tables: one row per group with n, score and interval for each KPI.
 * Groups below KPI_MIN_RESPONSES are kept but unranked and listed after the ranked ones, so nobody is
 * ranked on three answers. Sorting is by any KPI column; empty values sort last either way.
 */
import type { KpiGroup } from '../kpis/compute-kpis';
import { METRIC_IDS, metricsOf, type MetricId, type MetricView } from './kpi-view';

export const SORT_KEYS = ['name', 'responses', ...METRIC_IDS] as const;
export type SortKey = (typeof SORT_KEYS)[number];
export type SortDir = 'asc' | 'desc';

export interface GroupRow {
  /** The group's key value (agent external id, team name, channel slug); null for "no team". */
  readonly key: string | null;
  readonly label: string;
  /** 1-based rank among sufficient groups by the sort column; null when insufficient or unsortable. */
  readonly rank: number | null;
  readonly insufficient: boolean;
  readonly interactions: number;
  readonly surveysSent: number;
  readonly responses: number;
  readonly metrics: Record<MetricId, MetricView>;
}

function sortValue(row: GroupRow, key: SortKey): number | string | null {
  if (key === 'name') return row.label.toLowerCase();
  if (key === 'responses') return row.responses;
  return row.metrics[key].value;
}

function compare(a: GroupRow, b: GroupRow, key: SortKey, dir: SortDir): number {
  const x = sortValue(a, key);
  const y = sortValue(b, key);
  if (x === null || y === null) return x === y ? a.label.localeCompare(b.label) : x === null ? 1 : -1;
  const order = x < y ? -1 : x > y ? 1 : a.label.localeCompare(b.label);
  return dir === 'asc' ? order : -order;
}

/** The default direction of a column: best first (short times, high scores), names A–Z. */
export function defaultDir(key: SortKey): SortDir {
  return key === 'name' || key === 'first_response' || key === 'resolution' ? 'asc' : 'desc';
}

export function groupRows(groups: readonly KpiGroup[], dimension: 'agent' | 'team' | 'channel', labelOf: (key: string | null) => string, key: SortKey, dir: SortDir): GroupRow[] {
  const rows = groups.map((g) => {
    const value = g.key[dimension] ?? null;
    return { key: value, label: labelOf(value), rank: null, insufficient: g.insufficient, interactions: g.interactions, surveysSent: g.surveys_sent, responses: g.responses, metrics: metricsOf(g) };
  });
  const ranked = rows.filter((r) => !r.insufficient).sort((a, b) => compare(a, b, key, dir));
  const rest = rows.filter((r) => r.insufficient).sort((a, b) => compare(a, b, key, dir));
  const rankable = key !== 'name';
  return [...ranked.map((r, i) => ({ ...r, rank: rankable && sortValue(r, key) !== null ? i + 1 : null })), ...rest];
}
