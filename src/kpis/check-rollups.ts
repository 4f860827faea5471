/**
 * Start-up check of the KPI rollups (serve, worker, migrate). Never built (a new or upgraded database):
 * build them now. Built for another time zone than REPORT_TIMEZONE: keep them as they are and warn. The
 * KPI query then reads raw rows (correct, slower) and writers keep the rollups consistent in their own
 * zone until the operator runs `rapport rollups rebuild`. Not rebuilt automatically: on PostgreSQL
 * several processes share the rollups, and one started with a stale zone must not re-cut everyone's
 * reports, nor hold every writer for the length of a rebuild at each restart.
 */
import type { Logger } from '../config/logger';
import type { Db } from '../db/knex';
import { rebuildRollups } from './rebuild-rollups';
import { readRollupState } from './rollup-store';

/** What the check found (and did). */
export type RollupCheck = { status: 'current' } | { status: 'built'; rows: number } | { status: 'other_time_zone'; rollupTimeZone: string };

/** Checks (and, if never built, builds) the rollups for `timeZone`; logs what it found. */
export async function checkRollups(db: Db, timeZone: string, logger: Logger, now: number): Promise<RollupCheck> {
  const state = await readRollupState(db);
  if (state === null) {
    const summary = await rebuildRollups(db, timeZone, now);
    logger.info({ event: 'kpis.rollups_built', timeZone, interactions: summary.interactions, rows: summary.rows, ms: summary.milliseconds }, 'KPI rollups built');
    return { status: 'built', rows: summary.rows };
  }
  if (state.timeZone === timeZone) return { status: 'current' };
  logger.warn(
    { event: 'kpis.rollups_time_zone_changed', rollupTimeZone: state.timeZone, reportTimezone: timeZone },
    `KPI rollups were built for ${state.timeZone} but REPORT_TIMEZONE is ${timeZone}: KPIs are computed from raw rows (slow) until you run \`npx rapport rollups rebuild\``,
  );
  return { status: 'other_time_zone', rollupTimeZone: state.timeZone };
}
