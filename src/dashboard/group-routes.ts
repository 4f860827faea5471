/**
 * /agents, /teams and /channels (and their .csv): the KPI table per group for the chosen period and
 * filters, and /agents/:id, one agent's figures, trend and recent comments.
 */
import { Router, type Request, type Response } from 'express';
import { computeKpis, type KpiGroup } from '../kpis/compute-kpis';
import { csvLine, startCsv, writeCsv, type CsvCell } from './csv';
import { agentLabel, filterOptions, type FilterOptions } from './directory';
import { defaultDir, groupRows, SORT_KEYS, type SortDir, type SortKey } from './group-table';
import { METRIC_IDS, METRIC_LABELS, metricsOf } from './kpi-view';
import { renderDashboard, renderDashboardMessage } from './render';
import { describeIssues, filterParams, readReportFilters, withParams } from './report-filters';
import { recentComments } from './responses-repository';
import type { DashboardDeps } from './routes';
import { trendOf } from './trend';
import { formatInstant } from './values';

type GroupDimension = 'agent' | 'team' | 'channel';
const PAGES: readonly { path: string; dimension: GroupDimension; title: string; column: string }[] = [
  { path: '/agents', dimension: 'agent', title: 'Agents', column: 'Agent' },
  { path: '/teams', dimension: 'team', title: 'Teams', column: 'Team' },
  { path: '/channels', dimension: 'channel', title: 'Channels', column: 'Channel' },
];

function labeller(dimension: GroupDimension, options: FilterOptions): (key: string | null) => string {
  if (dimension === 'agent') return (key) => agentLabel(options, key ?? '');
  return (key) => key ?? 'No team';
}

/** A group's KPIs at full precision, as the API gives them, in CSV_HEADER's order. */
function groupCsvCells(g: KpiGroup): CsvCell[] {
  const ci = (i: readonly [number, number] | null, k: 0 | 1): CsvCell => (i === null ? null : i[k]);
  return [
    g.interactions, g.surveys_sent, g.responses, g.response_rate, g.insufficient,
    g.nps.n, g.nps.score, ci(g.nps.ci95, 0), ci(g.nps.ci95, 1),
    g.csat.n, g.csat.score, ci(g.csat.ci95, 0), ci(g.csat.ci95, 1),
    g.ces.n, g.ces.score, ci(g.ces.ci95, 0), ci(g.ces.ci95, 1),
    g.fcr.n, g.fcr.rate,
    g.first_response_seconds.n, g.first_response_seconds.median, g.first_response_seconds.p90,
    g.resolution_seconds.n, g.resolution_seconds.median, g.resolution_seconds.p90,
  ];
}

const CSV_HEADER = [
  'interactions', 'surveys_sent', 'responses', 'response_rate', 'insufficient',
  'nps_n', 'nps', 'nps_ci95_low', 'nps_ci95_high', 'csat_n', 'csat', 'csat_ci95_low', 'csat_ci95_high',
  'ces_n', 'ces', 'ces_ci95_low', 'ces_ci95_high', 'fcr_n', 'fcr',
  'first_response_n', 'first_response_median_s', 'first_response_p90_s', 'resolution_n', 'resolution_median_s', 'resolution_p90_s',
];

export function groupRoutes(deps: DashboardDeps): Router {
  const router = Router();
  const load = async (req: Request, dimension: GroupDimension) => {
    const { filters, issues, presets } = readReportFilters(req.query as Record<string, unknown>, deps.clock, deps.reportTimezone);
    const [report, options] = await Promise.all([computeKpis(deps.readDb, deps.reportTimezone, deps.minResponses, { ...filters, groupBy: [dimension] }), filterOptions(deps.readDb)]);
    return { filters, issues, presets, report, options };
  };

  for (const page of PAGES) {
    router.get(page.path, async (req: Request, res: Response) => {
      const { filters, issues, presets, report, options } = await load(req, page.dimension);
      const query = req.query as Record<string, unknown>;
      const sort: SortKey = typeof query.sort === 'string' && (SORT_KEYS as readonly string[]).includes(query.sort) ? (query.sort as SortKey) : 'responses';
      const dir: SortDir = query.dir === 'asc' || query.dir === 'desc' ? query.dir : defaultDir(sort);
      const rows = groupRows(report.groups, page.dimension, labeller(page.dimension, options), sort, dir);
      const base = filterParams(filters);
      renderDashboard(res, issues.length > 0 ? 422 : 200, 'groups', {
        title: page.title,
        section: page.path,
        page,
        filters,
        issues,
        presets,
        options,
        rows,
        total: metricsOf(report.total),
        totalGroup: report.total,
        minResponses: deps.minResponses,
        sort,
        dir,
        metricIds: METRIC_IDS,
        labels: METRIC_LABELS,
        sortLink: (key: SortKey) => withParams(page.path, { ...base, sort: key, dir: key === sort ? (dir === 'asc' ? 'desc' : 'asc') : defaultDir(key) }),
        detailLink: (key: string | null) => (page.dimension === 'agent' && key !== null ? withParams(`/agents/${encodeURIComponent(key)}`, base) : null),
        csvLink: withParams(`${page.path}.csv`, base),
        filterKeep: sort === 'responses' ? {} : { sort, dir },
      });
    });

    router.get(`${page.path}.csv`, async (req: Request, res: Response) => {
      const { filters, issues, report, options } = await load(req, page.dimension);
      if (issues.length > 0) return renderDashboardMessage(res, 422, 'The export was not made', describeIssues(issues));
      startCsv(res, `rapport-${page.path.slice(1)}-${filters.from}-${filters.to}.csv`, [page.dimension, ...(page.dimension === 'agent' ? ['agent_name'] : []), ...CSV_HEADER]);
      for (const g of report.groups) {
        const key = g.key[page.dimension] ?? null;
        const name = page.dimension === 'agent' ? [options.agents.find((a) => a.externalId === key)?.name ?? null] : [];
        await writeCsv(res, csvLine([key, ...name, ...groupCsvCells(g)]));
      }
      res.end();
    });
  }

  router.get('/agents/:id', async (req, res) => {
    const agent = String(req.params.id);
    const { filters: base, issues, presets } = readReportFilters(req.query as Record<string, unknown>, deps.clock, deps.reportTimezone);
    const filters = { ...base, agent };
    // The weekly report's total is the agent's total for the period: one query serves the cards and the trend.
    const [byWeek, options, comments] = await Promise.all([
      computeKpis(deps.readDb, deps.reportTimezone, deps.minResponses, { ...filters, groupBy: ['week'] }),
      filterOptions(deps.readDb),
      recentComments(deps.readDb, deps.reportTimezone, filters, 20),
    ]);
    const known = options.agents.some((a) => a.externalId === agent);
    renderDashboard(res, known ? (issues.length > 0 ? 422 : 200) : 404, 'agent', {
      title: agentLabel(options, agent),
      section: '/agents',
      agent,
      known,
      filters,
      issues,
      presets,
      options,
      total: byWeek.total,
      metrics: metricsOf(byWeek.total),
      metricIds: METRIC_IDS,
      minResponses: deps.minResponses,
      interval: 'week',
      trend: trendOf(byWeek.groups, 'week', 'csat'),
      comments,
      when: (ms: number) => formatInstant(ms, deps.reportTimezone),
      back: withParams('/agents', filterParams(base)),
      responsesLink: withParams('/responses', filterParams(filters)),
    });
  });
  return router;
}
