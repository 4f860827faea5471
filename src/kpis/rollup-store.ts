/**
 * kpi_rollups rows and their bookkeeping: which time zone they were built for (a setting), the lock
 * that keeps writers and a rebuild apart on PostgreSQL, and the additive upsert every writer uses.
 */
import type { Knex } from 'knex';
import { engineOf, type Db } from '../db/knex';
import { COUNT_COLUMNS, type RollupRow } from './rollup-cells';

type Executor = Db | Knex.Transaction;

/** The settings key that records the rollups' time zone; absent until the rollups were first built. */
export const ROLLUP_SETTING = 'kpi_rollups';

/** What the rollups were built for. */
export interface RollupState {
  /** The IANA zone their days, weeks and months are cut in. */
  readonly timeZone: string;
}

// Any constant works: it only has to be the same in every process sharing the database ("RKPI").
const ROLLUP_LOCK = 0x524b5049;
const KEY = ['level', 'period', 'agent_id', 'team_id', 'channel'];
// knex writes a multi-row SQLite insert as a compound SELECT, limited to 500 terms.
const ROWS_PER_STATEMENT = 400;

/** The rollups' state, or null when they were never built. */
export async function readRollupState(db: Executor): Promise<RollupState | null> {
  const row = (await db('settings').where({ key: ROLLUP_SETTING }).first('value')) as { value: string } | undefined;
  if (row === undefined) return null;
  const value = JSON.parse(row.value) as { timeZone?: unknown };
  return typeof value.timeZone === 'string' ? { timeZone: value.timeZone } : null;
}

/** Records the rollups' state (inside the transaction that built them). */
export async function writeRollupState(trx: Knex.Transaction, state: RollupState, now: number): Promise<void> {
  await trx('settings').insert({ key: ROLLUP_SETTING, value: JSON.stringify(state), updated_at: now }).onConflict('key').merge(['value', 'updated_at']);
}

/**
 * Writers share this lock; a rebuild takes it alone. A writer therefore either commits before the rebuild
 * reads the raw rows (and is counted by it) or waits and adds its delta to the rebuilt rows, reading the
 * time zone after the wait. SQLite needs nothing: it has one writer at a time.
 */
export async function lockRollupsForWriting(trx: Knex.Transaction): Promise<void> {
  if (engineOf(trx) === 'pg') await trx.raw('select pg_advisory_xact_lock_shared(?)', [ROLLUP_LOCK]);
}

/** Waits until no writer is inside a rollup update and keeps new ones out until the transaction ends. */
export async function lockRollupsForRebuild(trx: Knex.Transaction): Promise<void> {
  if (engineOf(trx) === 'pg') await trx.raw('select pg_advisory_xact_lock(?)', [ROLLUP_LOCK]);
}

/**
 * Adds each row's counts to its cell (creating it when missing) and appends its packed durations: one
 * statement for up to 400 cells, atomic per row on both engines (INSERT … ON CONFLICT DO UPDATE).
 */
export async function addToRollups(trx: Knex.Transaction, rows: readonly RollupRow[]): Promise<void> {
  const sqlite = engineOf(trx) === 'sqlite';
  // SQLite's || yields text; the cast keeps the bytes as a blob. PostgreSQL concatenates bytea as is.
  const append = (column: string): Knex.Raw =>
    sqlite ? trx.raw('cast(kpi_rollups.?? || excluded.?? as blob)', [column, column]) : trx.raw('kpi_rollups.?? || excluded.??', [column, column]);
  const merge: Record<string, Knex.Raw> = {};
  for (const [, column] of COUNT_COLUMNS) merge[column] = trx.raw('kpi_rollups.?? + excluded.??', [column, column]);
  merge.first_response_times = append('first_response_times');
  merge.resolution_times = append('resolution_times');
  for (let i = 0; i < rows.length; i += ROWS_PER_STATEMENT) {
    await trx('kpi_rollups').insert(rows.slice(i, i + ROWS_PER_STATEMENT)).onConflict(KEY).merge(merge);
  }
}

/** Inserts complete rows into an emptied table (the rebuild). */
export async function insertRollups(trx: Knex.Transaction, rows: readonly RollupRow[]): Promise<void> {
  for (let i = 0; i < rows.length; i += ROWS_PER_STATEMENT) await trx('kpi_rollups').insert(rows.slice(i, i + ROWS_PER_STATEMENT));
}
