/**
 * GET / — the overview: each KPI for the chosen period against the period of the same length before it,
 * and a trend of one KPI by day, week or month. Numbers come from the same computeKpis as the API.
 */
import { Router } from 'express';
import { computeKpis } from '../kpis/compute-kpis';
import type { Dimension } from '../kpis/kpi-query';
import { filterOptions } from './directory';
import { METRIC_IDS, METRIC_LABELS, metricsOf, type MetricId } from './kpi-view';
import { periodChange, standardError } from './period-change';
import { renderDashboard } from './render';
import { filterParams, previousPeriod, readReportFilters, withParams } from './report-filters';
import type { DashboardDeps } from './routes';
import { trendOf, TREND_INTERVALS, type TrendInterval } from './trend';

function pick<T extends string>(value: unknown, allowed: readonly T[], fallback: T): T {
  return typeof value === 'string' && (allowed as readonly string[]).includes(value) ? (value as T) : fallback;
}

export function overviewRoutes(deps: DashboardDeps): Router {
  const router = Router();
  router.get('/', async (req, res) => {
    const query = req.query as Record<string, unknown>;
    const { filters, issues, presets } = readReportFilters(query, deps.clock, deps.reportTimezone);
    const days = (Date.parse(filters.to) - Date.parse(filters.from)) / 86_400_000 + 1;
    const interval = pick<TrendInterval>(query.interval, TREND_INTERVALS, days <= 45 ? 'day' : days <= 200 ? 'week' : 'month');
    const metric = pick<MetricId>(query.metric, METRIC_IDS, 'csat');
    const kpis = (f: typeof filters, groupBy: Dimension[]) => computeKpis(deps.readDb, deps.reportTimezone, deps.minResponses, { ...f, groupBy });
    const before = previousPeriod(filters);
    // The by-period report's total is the period's total: one query gives the cards and the trend.
    const [current, previous, options] = await Promise.all([kpis(filters, [interval]), kpis(before, []), filterOptions(deps.readDb)]);
    const now = metricsOf(current.total);
    const then = metricsOf(previous.total);
    const cards = METRIC_IDS.map((id) => ({
      current: now[id],
      previous: then[id],
      change: periodChange(now[id].value, then[id].value, standardError(current.total, id), standardError(previous.total, id)),
    }));
    renderDashboard(res, issues.length > 0 ? 422 : 200, 'overview', {
      title: 'Overview',
      section: '/',
      filters,
      issues,
      presets,
      options,
      before,
      total: current.total,
      minResponses: deps.minResponses,
      cards,
      interval,
      intervals: TREND_INTERVALS,
      metric,
      metrics: METRIC_IDS.map((id) => ({ id, label: METRIC_LABELS[id] })),
      trend: trendOf(current.groups, interval, metric),
      keep: filterParams(filters),
      link: (path: string, extra: Record<string, string> = {}) => withParams(path, { ...filterParams(filters), ...extra }),
    });
  });
  return router;
}
