/**
 * `rapport rollups rebuild`, and the rollup check that `serve`, `worker` and `migrate` run after the
 * migrations (see kpis/check-rollups.ts for why a changed REPORT_TIMEZONE warns instead of rebuilding).
 */
import { migrateLatest } from '../db/knex';
import { checkRollups, rebuildRollups } from '../kpis';
import { closeRuntime, openRuntime } from './runtime';

const grouped = (n: number): string => n.toLocaleString('en-US');

/** Recomputes every KPI rollup from the raw rows in REPORT_TIMEZONE and prints one summary line. */
export async function rollupsRebuild(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const rt = openRuntime(env);
  try {
    await migrateLatest(rt.db);
    const s = await rebuildRollups(rt.db, rt.config.reportTimezone, rt.clock());
    console.log(`Rebuilt KPI rollups in ${s.timeZone} from ${grouped(s.interactions)} interactions: ${grouped(s.rows)} rows in ${(s.milliseconds / 1000).toFixed(1)} s.`);
  } finally {
    await closeRuntime(rt);
  }
}

/** Migrates, then checks the rollups against REPORT_TIMEZONE; a mismatch is also printed to stderr. */
export async function migrateAndCheckRollups(env: NodeJS.ProcessEnv = process.env): Promise<string[]> {
  const rt = openRuntime(env);
  try {
    const applied = await migrateLatest(rt.db);
    const check = await checkRollups(rt.db, rt.config.reportTimezone, rt.logger.child({ module: 'kpis' }), rt.clock());
    if (check.status === 'other_time_zone') {
      console.error(
        `rapport: warning: the KPI rollups were built for ${check.rollupTimeZone}, but REPORT_TIMEZONE is ${rt.config.reportTimezone}. ` +
          'KPIs are computed from raw rows (slow) until you run: npx rapport rollups rebuild',
      );
    }
    return applied;
  } finally {
    await closeRuntime(rt);
  }
}
