/**
 * `rollups rebuild`: recomputes every KPI rollup from the raw rows, cut in `timeZone`, in one
 * transaction (readers see the old rollups until it commits; writers wait on the rollup lock).
 *
 * Local days differ per engine in SQL, so rows are read one local day at a time (closed_at index) and
 * cut in Node. Days are read in order, so a day's cells are complete when the next day starts, a week's
 * when the next week starts and a month's when the next month starts: memory holds one day, one week
 * and one month of cells, whatever the size of the history.
 */
import type { Db } from '../db/knex';
import { runTransaction } from '../db/transaction';
import { countRawRow, RAW_COUNT_COLUMNS, type RawCountsRow } from './raw-counts';
import { addDays, dayOf, monthOf, startOfDay, weekOf } from './report-calendar';
import { RollupDeltas } from './rollup-cells';
import { insertRollups, lockRollupsForRebuild, writeRollupState } from './rollup-store';

/** What a rebuild did. */
export interface RebuildSummary {
  readonly timeZone: string;
  readonly interactions: number;
  /** kpi_rollups rows written (days, weeks and months). */
  readonly rows: number;
  readonly milliseconds: number;
}

type RawRow = RawCountsRow & { channel: string; agent_id: number; team_id: number | null };

function rowsBetween(trx: Db, start: number, end: number): Promise<RawRow[]> {
  return trx('interactions as i')
    .leftJoin('surveys as s', 's.interaction_id', 'i.id')
    .leftJoin('responses as r', 'r.survey_id', 's.id')
    .where('i.closed_at', '>=', start)
    .andWhere('i.closed_at', '<', end)
    .select(...RAW_COUNT_COLUMNS, 'i.channel', 'i.agent_id', 'i.team_id') as Promise<RawRow[]>;
}

/** Replaces every rollup with one computed from the raw rows in `timeZone`, and records that zone. */
export async function rebuildRollups(db: Db, timeZone: string, now: number): Promise<RebuildSummary> {
  const started = performance.now();
  return runTransaction(db, async (trx) => {
    await lockRollupsForRebuild(trx);
    await trx('kpi_rollups').delete();
    const deltas = new RollupDeltas();
    let interactions = 0;
    let rows = 0;
    const flush = async (levels: readonly ('d' | 'w' | 'm')[]): Promise<void> => {
      const taken = deltas.take(levels);
      rows += taken.length;
      await insertRollups(trx, taken);
    };
    const first = (await trx('interactions').min('closed_at as at').first()) as { at: number | string | null } | undefined;
    let day = first?.at == null ? null : dayOf(Number(first.at), timeZone);
    while (day !== null) {
      const end = startOfDay(addDays(day, 1), timeZone);
      const raw = await rowsBetween(trx, startOfDay(day, timeZone), end);
      for (const row of raw) {
        const place = { day, agentId: Number(row.agent_id), teamId: row.team_id === null ? null : Number(row.team_id), channel: row.channel };
        for (const counts of countRawRow(row)) deltas.add(place, counts);
      }
      interactions += raw.length;
      // The next day with data: skips empty stretches of a sparse history in one query.
      const next = (await trx('interactions').where('closed_at', '>=', end).min('closed_at as at').first()) as { at: number | string | null } | undefined;
      const nextDay = next?.at == null ? null : dayOf(Number(next.at), timeZone);
      await flush(['d']);
      if (nextDay === null || weekOf(nextDay) !== weekOf(day)) await flush(['w']);
      if (nextDay === null || monthOf(nextDay) !== monthOf(day)) await flush(['m']);
      day = nextDay;
    }
    await writeRollupState(trx, timeZone, now);
    return { timeZone, interactions, rows, milliseconds: Math.round(performance.now() - started) };
  });
}
