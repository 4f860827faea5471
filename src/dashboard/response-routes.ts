/**
 * /responses: the verbatims with their filters and the detractor follow-up queue; POST
 * /responses/:id/follow-up records a follow-up; /responses.csv streams the same answers as CSV.
 */
import { Router, type Request, type Response } from 'express';
import { DomainError, ValidationFailed } from '../errors';
import { signedInUser } from '../http/dashboard-session';
import { csvLine, startCsv, writeCsv } from './csv';
import { filterOptions } from './directory';
import { recordFollowUp } from './follow-up';
import { formText, safeNextPath } from './form';
import { renderDashboard, renderDashboardMessage } from './render';
import { describeIssues, filterParams, readReportFilters, withParams } from './report-filters';
import { BANDS, findResponses, FOLLOW_UP_STATUSES, type PageCursor, type ResponseFilters } from './responses-repository';
import type { DashboardDeps } from './routes';
import { formatInstant, isUuid } from './values';

const PAGE_SIZE = 50;
const CSV_BATCH = 1000;

function oneOf<T extends string>(value: unknown, allowed: readonly T[]): T | null {
  return typeof value === 'string' && (allowed as readonly string[]).includes(value) ? (value as T) : null;
}

function readCursor(value: unknown): PageCursor | null {
  if (typeof value !== 'string' || !/^\d{1,15}_[0-9a-f-]{36}$/.test(value)) return null;
  const [at, id] = value.split('_') as [string, string];
  return isUuid(id) ? { answeredAt: Number(at), id } : null;
}

function readResponseFilters(req: Request, deps: DashboardDeps) {
  const query = req.query as Record<string, unknown>;
  const { filters, issues, presets } = readReportFilters(query, deps.clock, deps.reportTimezone);
  const queue = query.queue === '1';
  const search = typeof query.q === 'string' && query.q.trim() !== '' ? query.q.trim().slice(0, 200) : null;
  const f: ResponseFilters = {
    ...filters,
    band: queue ? 'unhappy' : oneOf(query.band, BANDS),
    hasComment: query.has_comment === '1',
    search,
    followUp: oneOf(query.follow_up, FOLLOW_UP_STATUSES) ?? (queue ? 'open' : null),
  };
  const params: Record<string, string> = { ...filterParams(filters) };
  if (queue) params.queue = '1';
  if (f.band && !queue) params.band = f.band;
  if (f.hasComment) params.has_comment = '1';
  if (search) params.q = search;
  if (query.follow_up && f.followUp) params.follow_up = f.followUp;
  return { f, issues, presets, queue, params };
}

export function responseRoutes(deps: DashboardDeps): Router {
  const router = Router();

  router.get('/responses', async (req, res) => {
    const { f, issues, presets, queue, params } = readResponseFilters(req, deps);
    const cursor = readCursor((req.query as Record<string, unknown>).after);
    const [page, options] = await Promise.all([findResponses(deps.readDb, deps.reportTimezone, f, PAGE_SIZE, cursor), filterOptions(deps.readDb)]);
    renderDashboard(res, issues.length > 0 ? 422 : 200, 'responses', {
      title: queue ? 'Follow-up queue' : 'Responses',
      section: '/responses',
      filters: f,
      issues,
      presets,
      queue,
      options,
      rows: page.rows,
      bands: BANDS,
      statuses: FOLLOW_UP_STATUSES,
      here: withParams('/responses', { ...params, after: cursor ? `${cursor.answeredAt}_${cursor.id}` : null }),
      nextLink: page.next ? withParams('/responses', { ...params, after: `${page.next.answeredAt}_${page.next.id}` }) : null,
      firstLink: cursor ? withParams('/responses', params) : null,
      csvLink: withParams('/responses.csv', params),
      allLink: withParams('/responses', filterParams(f)),
      queueLink: withParams('/responses', { ...filterParams(f), queue: '1' }),
      filterKeep: queue ? { queue: '1' } : {},
      when: (ms: number) => formatInstant(ms, deps.reportTimezone),
    });
  });

  router.post('/responses/:id/follow-up', async (req: Request, res: Response) => {
    const body = req.body as Record<string, unknown>;
    try {
      await recordFollowUp(deps.db, deps.clock, {
        responseId: String(req.params.id),
        status: formText(body, 'status'),
        note: formText(body, 'note'),
        userId: signedInUser(res).id,
      });
      res.redirect(303, safeNextPath(body.back));
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      const detail = error instanceof ValidationFailed ? (error.details?.errors ?? []).map((e) => `${e.path} ${e.message}`).join('; ') : error.message;
      renderDashboardMessage(res, error.code === 'not_found' ? 404 : 422, 'The follow-up was not saved', detail);
    }
  });

  router.get('/responses.csv', async (req, res) => {
    const { f, issues } = readResponseFilters(req, deps);
    if (issues.length > 0) return renderDashboardMessage(res, 422, 'The export was not made', describeIssues(issues));
    // The first page is read before the headers go out, so a failing query still answers an error page.
    let page = await findResponses(deps.readDb, deps.reportTimezone, f, CSV_BATCH, null);
    startCsv(res, `rapport-responses-${f.from}-${f.to}.csv`, [
      'answered_at', 'closed_at', 'interaction_id', 'source', 'external_id', 'agent', 'agent_name', 'team', 'channel',
      'nps', 'csat', 'ces', 'comment', 'ticket_url', 'follow_up', 'follow_up_note',
    ]);
    for (;;) {
      const lines = page.rows.map((r) =>
        csvLine([
          new Date(r.answeredAt).toISOString(), new Date(r.closedAt).toISOString(), r.interactionId, r.source, r.externalId, r.agent, r.agentName, r.team, r.channel,
          r.nps, r.csat, r.ces, r.comment, r.ticketUrl, r.followUp?.status ?? (r.unhappy ? 'open' : null), r.followUp?.note ?? null,
        ]),
      );
      await writeCsv(res, lines.join(''));
      if (page.next === null || res.destroyed) break;
      page = await findResponses(deps.readDb, deps.reportTimezone, f, CSV_BATCH, page.next);
    }
    res.end();
  });
  return router;
}
