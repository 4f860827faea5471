/**
 * GET /api/v1/kpis (CONTRACT §3): from the rollups when they were built in the report's time zone,
 * otherwise (REPORT_TIMEZONE changed and `rapport rollups rebuild` has not been run yet, or the rollups
 * were never built) from the raw rows: slower, but never cut in the wrong zone. Start-up warns about it.
 */
import type { Db } from '../db/knex';
import { computeKpisFromRawRows } from './compute-kpis-raw';
import { computeKpisFromRollups } from './compute-kpis-from-rollups';
import type { KpiQuery } from './kpi-query';
import type { KpiReport } from './kpi-report';
import { readRollupState } from './rollup-store';

export type { GroupKey, KpiGroup, KpiReport } from './kpi-report';

/** The report for `q`, cut in `timeZone`; groups below `minResponses` responses are insufficient. */
export async function computeKpis(db: Db, timeZone: string, minResponses: number, q: KpiQuery): Promise<KpiReport> {
  const state = await readRollupState(db);
  if (state?.timeZone === timeZone) return computeKpisFromRollups(db, state, minResponses, q);
  return computeKpisFromRawRows(db, timeZone, minResponses, q);
}
