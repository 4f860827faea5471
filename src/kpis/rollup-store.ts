/**
 * kpi_rollups rows and their bookkeeping: which time zone they were built for (a setting), the lock
 * that keeps writers and a rebuild apart on PostgreSQL, and the additive upsert every writer uses.
 */
import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { engineOf, type Db } from '../db/knex';
import { hexIfBuffer, insertRows } from '../db/insert-rows';
import { isSqliteTransaction, runPrepared } from '../db/sqlite-statements';
import { COUNT_COLUMNS, type RollupLevel, type RollupRow } from './rollup-cells';
import type { PeriodRun } from './rollup-periods';
import { perHandle } from './per-handle';
import { SketchCompaction } from './sketch-compaction';
import { packBuckets, unpackBuckets } from './sketch-codec';

type Executor = Db | Knex.Transaction;

/** The settings key that records the rollups' time zone; absent until the rollups were first built. */
export const ROLLUP_SETTING = 'kpi_rollups';

/** What the rollups were built for. */
export interface RollupState {
  /** The IANA zone their days, weeks and months are cut in. */
  readonly timeZone: string;
  /**
   * New at every build (and at the first writer's start): period versions count changes within one
   * build, so cached periods are only compared within the same epoch. Empty for rollups built before it.
   */
  readonly epoch: string;
}

// Any constant works: it only has to be the same in every process sharing the database ("RKPI").
const ROLLUP_LOCK = 0x524b5049;
const KEY = ['level', 'period', 'agent_id', 'team_id', 'channel'];
// The rebuild's knex insert becomes a compound SELECT on SQLite (at most 500 terms); 400 rows × 23 values also
// keeps every statement under both engines' bound-parameter limits.
const ROWS_PER_STATEMENT = 400;

/** The rollups' state, or null when they were never built. */
export async function readRollupState(db: Executor): Promise<RollupState | null> {
  // Every ingest batch reads it: in a SQLite transaction, through a prepared statement.
  const row = isSqliteTransaction(db)
    ? (await runPrepared<{ value: string }>(db, 'select value from settings where key = ?', [ROLLUP_SETTING]))[0]
    : ((await db('settings').where({ key: ROLLUP_SETTING }).first('value')) as { value: string } | undefined);
  if (row === undefined) return null;
  const value = JSON.parse(row.value) as { timeZone?: unknown; epoch?: unknown };
  if (typeof value.timeZone !== 'string') return null;
  return { timeZone: value.timeZone, epoch: typeof value.epoch === 'string' ? value.epoch : '' };
}

/** Records that the rollups are now built in `timeZone`, in a new epoch (inside the transaction that built them). */
export async function writeRollupState(trx: Knex.Transaction, timeZone: string, now: number): Promise<void> {
  const state: RollupState = { timeZone, epoch: randomUUID() };
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

const quoted = (column: string): string => `"${column}"`;

/** The statement's fixed tail: add counts, append durations (SQLite's || yields text; the cast keeps a blob). */
function upsertTail(sqlite: boolean): string {
  const add = COUNT_COLUMNS.map(([, c]) => `${quoted(c)} = kpi_rollups.${quoted(c)} + excluded.${quoted(c)}`);
  const append = ['first_response_times', 'resolution_times'].map((c) =>
    sqlite ? `${quoted(c)} = cast(kpi_rollups.${quoted(c)} || excluded.${quoted(c)} as blob)` : `${quoted(c)} = kpi_rollups.${quoted(c)} || excluded.${quoted(c)}`,
  );
  return `on conflict (${KEY.map(quoted).join(', ')}) do update set ${[...add, ...append].join(', ')}`;
}
const TAILS = { sqlite: upsertTail(true), pg: upsertTail(false) };
const BUMP_TAIL = 'on conflict ("level", "period", "shard") do update set "version" = kpi_period_versions."version" + 1';
// PostgreSQL writers run side by side: each bumps one of these rows per period, picked at random, so
// they rarely wait for each other's commit. SQLite has one writer and needs one.
const PG_SHARDS = 16;

/**
 * Raises the version of every period the rows belong to (after their rows, in key order: the rows that
 * many writers share are locked last and in one order, as for the rollups themselves).
 */
async function bumpPeriodVersions(trx: Knex.Transaction, rows: readonly RollupRow[]): Promise<void> {
  const shard = engineOf(trx) === 'pg' ? Math.floor(Math.random() * PG_SHARDS) : 0;
  const periods = [...new Set(rows.map((r) => `${String(r.level)}|${String(r.period)}`))].sort();
  const versionRows = periods.map((key) => {
    const [level, period] = key.split('|') as [string, string];
    return { level, period, shard, version: 1 };
  });
  await insertRows(trx, 'kpi_period_versions', versionRows, BUMP_TAIL);
}

/**
 * Adds each row's counts to its cell (creating it when missing) and appends its packed durations: one
 * statement for up to 400 cells, atomic per row on both engines (INSERT … ON CONFLICT DO UPDATE); cells
 * this process has appended enough to since their last compaction are then rewritten compacted. It runs
 * in every ingest batch, so it goes through insertRows, not knex's builder (building a 400-row upsert
 * through the builder cost ~1.4 ms of the event loop against ~0.2 ms).
 */
export async function addToRollups(trx: Knex.Transaction, rows: readonly RollupRow[]): Promise<void> {
  const tail = TAILS[engineOf(trx)];
  for (let i = 0; i < rows.length; i += ROWS_PER_STATEMENT) await insertRows(trx, 'kpi_rollups', rows.slice(i, i + ROWS_PER_STATEMENT), tail);
  const compaction = compactionOf(trx);
  const appended = rows.map((r) => ({ key: cellKey(r), bytes: Math.max(byteLength(r.first_response_times), byteLength(r.resolution_times)) }));
  const due = new Set(compaction.append(appended.filter((c) => c.bytes > 0), COMPACTIONS_PER_WRITE));
  if (due.size > 0) await compactSketches(trx, compaction, rows.filter((_, i) => due.has((appended[i] as { key: string }).key)));
  if (rows.length > 0) await bumpPeriodVersions(trx, rows);
}

const cellKey = (row: RollupRow): string => KEY.map((column) => String(row[column])).join('|');
const keyColumns = (row: RollupRow): RollupRow => Object.fromEntries(KEY.map((column) => [column, row[column] as RollupRow[string]]));
const byteLength = (value: RollupRow[string] | undefined): number => (Buffer.isBuffer(value) ? value.length : 0);
// Compactions are rare (once per cell per canonical size of appends); a batch does at most this many.
const COMPACTIONS_PER_WRITE = 8;

const compactions = perHandle(() => new SketchCompaction());
// One per database handle: each transaction gets its own client object, but they share the config.
const compactionOf = (trx: Knex.Transaction): SketchCompaction => compactions(trx.client.config as object);

/**
 * Rewrites the cells' sketches in canonical form (pairs summed per bucket, in bucket order), the same
 * multiset of durations. The transaction holds the rows already (it has just upserted them), so no
 * writer appends in between on either engine.
 */
async function compactSketches(trx: Knex.Transaction, compaction: SketchCompaction, cells: readonly RollupRow[]): Promise<void> {
  const rows = (await trx('kpi_rollups')
    .where((w) => {
      for (const c of cells) w.orWhere(keyColumns(c));
    })
    .select(...KEY, 'first_response_times', 'resolution_times')) as (RollupRow & { first_response_times: Buffer; resolution_times: Buffer })[];
  const compacted = rows.map((row) => ({ row, firstResponse: packBuckets(unpackBuckets(row.first_response_times)), resolution: packBuckets(unpackBuckets(row.resolution_times)) }));
  await writeSketches(trx, compacted);
  // Counted before the commit: a rollback only makes these cells wait for their next compaction.
  for (const c of compacted) compaction.compacted(cellKey(c.row), Math.max(c.firstResponse.length, c.resolution.length));
}

/** Replaces the cells' sketches, all in one statement (a batch compacts up to COMPACTIONS_PER_WRITE cells). */
async function writeSketches(trx: Knex.Transaction, cells: readonly { row: RollupRow; firstResponse: Buffer; resolution: Buffer }[]): Promise<void> {
  if (cells.length === 0) return;
  const values = cells.map(({ row, firstResponse, resolution }) => [String(row.level), String(row.period), Number(row.agent_id), Number(row.team_id), String(row.channel), firstResponse, resolution]);
  if (isSqliteTransaction(trx)) {
    await runPrepared(
      trx,
      'update kpi_rollups set first_response_times = unhex(c.value->>5), resolution_times = unhex(c.value->>6) from json_each(?) c ' +
        'where kpi_rollups.level = c.value->>0 and kpi_rollups.period = c.value->>1 and kpi_rollups.agent_id = c.value->>2 and kpi_rollups.team_id = c.value->>3 and kpi_rollups.channel = c.value->>4',
      [JSON.stringify(values.map((v) => v.map(hexIfBuffer)))],
    );
    return;
  }
  await trx.raw(
    `update kpi_rollups r set first_response_times = c.fr, resolution_times = c.rs from (values ${values.map(() => '(?::text, ?::text, ?::int, ?::int, ?::text, ?::bytea, ?::bytea)').join(', ')}) ` +
      'as c(level, period, agent_id, team_id, channel, fr, rs) where r.level = c.level and r.period = c.period and r.agent_id = c.agent_id and r.team_id = c.team_id and r.channel = c.channel',
    values.flat(),
  );
}

/** Inserts complete rows into an emptied table (the rebuild). */
export async function insertRollups(trx: Knex.Transaction, rows: readonly RollupRow[]): Promise<void> {
  for (let i = 0; i < rows.length; i += ROWS_PER_STATEMENT) await trx('kpi_rollups').insert(rows.slice(i, i + ROWS_PER_STATEMENT));
  if (rows.length > 0) await bumpPeriodVersions(trx, rows);
}

/** A period of the rollups and its current version. */
export interface PeriodVersion {
  readonly level: RollupLevel;
  readonly period: string;
  readonly version: number;
}

/** The `level = … and period between …` condition of each run, OR-ed. */
export function whereInRuns(query: Knex.QueryBuilder, runs: readonly PeriodRun[]): void {
  query.where((w) => {
    for (const run of runs) w.orWhere((r) => r.where('level', run.level).andWhere('period', '>=', run.first).andWhere('period', '<=', run.last));
  });
}

/** The versions of the periods in `runs` that have ever had rollups. */
export async function readPeriodVersions(db: Db, runs: readonly PeriodRun[]): Promise<PeriodVersion[]> {
  if (runs.length === 0) return [];
  const query = db('kpi_period_versions').select('level', 'period').sum({ version: 'version' }).groupBy('level', 'period');
  whereInRuns(query, runs);
  const rows = (await query) as { level: RollupLevel; period: string; version: number | string }[];
  return rows.map((r) => ({ level: r.level, period: r.period, version: Number(r.version) }));
}
