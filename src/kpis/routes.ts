/** The reporting API: GET /api/v1/kpis and GET /api/v1/responses. */
import { Router } from 'express';
import type { Clock } from '../clock';
import type { Db } from '../db/knex';
import { ValidationFailed } from '../errors';
import { methodNotAllowed } from '../http/method-not-allowed';
import { computeKpis } from './compute-kpis';
import { kpiReportJson } from './kpi-json';
import { parseKpiQuery } from './kpi-query';
import { listResponses } from './list-responses';
import { dayOf } from './report-calendar';
import { parseResponsesQuery } from './schema';

export interface ReportRouteDeps {
  readonly readDb: Db;
  readonly clock: Clock;
  readonly reportTimezone: string;
  readonly minResponses: number;
}

export function reportRoutes(deps: ReportRouteDeps): Router {
  const router = Router();
  router.get('/responses', async (req, res) => {
    const parsed = parseResponsesQuery(req.query as Record<string, unknown>, dayOf(deps.clock(), deps.reportTimezone));
    if (!parsed.ok) throw new ValidationFailed(parsed.issues, 'Some query parameters are invalid.');
    res.json(await listResponses(deps.readDb, deps.reportTimezone, parsed.value));
  });
  router.get('/kpis', async (req, res) => {
    const parsed = parseKpiQuery(req.query as Record<string, unknown>, dayOf(deps.clock(), deps.reportTimezone));
    if (!parsed.ok) throw new ValidationFailed(parsed.issues, 'Some query parameters are invalid.');
    res.type('json').send(kpiReportJson(await computeKpis(deps.readDb, deps.reportTimezone, deps.minResponses, parsed.value)));
  });
  router.all(['/responses', '/kpis'], methodNotAllowed('GET'));
  return router;
}
