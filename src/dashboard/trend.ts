/** A KPI per day, week or month (a `group_by` of one period) as chart points and table rows. */
import type { KpiGroup } from '../kpis/compute-kpis';
import { metricsOf, type MetricId, type MetricView } from './kpi-view';
import { layoutTrend, type TrendChart } from './trend-chart';

export const TREND_INTERVALS = ['day', 'week', 'month'] as const;
export type TrendInterval = (typeof TREND_INTERVALS)[number];

const RANGES: Partial<Record<MetricId, readonly [number, number]>> = { nps: [-100, 100], csat: [0, 100], ces: [1, 7], fcr: [0, 100], response_rate: [0, 100] };
const UNITS: Partial<Record<MetricId, string>> = { csat: '%', fcr: '%', response_rate: '%', first_response: 's', resolution: 's' };

export interface Trend {
  readonly chart: TrendChart;
  readonly rows: readonly { readonly period: string; readonly metric: MetricView }[];
  readonly label: string;
}

export function trendOf(groups: readonly KpiGroup[], interval: TrendInterval, metric: MetricId): Trend {
  const rows = groups.map((g) => ({ period: g.key[interval] ?? '', metric: metricsOf(g)[metric] }));
  const chart = layoutTrend(
    rows.map((r) => ({ label: r.period, value: r.metric.value, ci: r.metric.ci, n: r.metric.n })),
    RANGES[metric] ?? null,
    UNITS[metric] ?? '',
  );
  return { chart, rows, label: rows[0]?.metric.label ?? metric };
}
