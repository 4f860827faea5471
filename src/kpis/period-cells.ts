/**
 * The rollup cells of one period (a day, week or month) held in memory, and the per-process cache of
 * them. A KPI query over 90 days by agent and channel adds up ~12,000 cells; reading them from SQL
 * every time cost 50–90 ms, adding them up in memory a few. The cache is exact, not a time-to-live:
 * every writer moves its period's version in the transaction that moves its rows (rollup-store), the
 * query reads the versions first and the cells of a period again only when its version moved, so a
 * change made by any process shows in the next query. Past periods rarely change and stay cached;
 * today's day, week and month are read again after each write.
 */
import { engineOf, type Db } from '../db/knex';
import { COUNT_COLUMNS, type RollupLevel } from './rollup-cells';
import { type PeriodVersion, whereInRuns } from './rollup-store';
import { BoundedLru } from './bounded-lru';
import { perHandle } from './per-handle';
import { int32Pairs, type PairLists } from './sketch-codec';

/** The cells of one period, column by column. */
export interface PeriodCells {
  readonly level: RollupLevel;
  readonly period: string;
  readonly size: number;
  readonly agentIds: Int32Array;
  /** 0: no team. */
  readonly teamIds: Int32Array;
  readonly channels: readonly string[];
  /** The channels as small numbers (the same number for the same channel in every period of the process). */
  readonly channelCodes: Int32Array;
  /** COUNT_COLUMNS.length numbers per cell, in that order. */
  readonly numbers: Float64Array;
  /** Every cell's first-response (bucket, count) pairs, one after another; cell c's end at firstResponseEnds[c]. */
  readonly firstResponse: Int32Array;
  readonly firstResponseEnds: Int32Array;
  readonly resolution: Int32Array;
  readonly resolutionEnds: Int32Array;
}

/** Which cells a query wants: null for any. */
export interface CellFilter {
  readonly agentId: number | null;
  readonly teamId: number | null;
  readonly channel: string | null;
}

const WIDTH = COUNT_COLUMNS.length;
// Enough for every day, week and month of a year at 1,200 agent × channel cells (~200 MB measured at
// 3,700,000 interactions) to keep the recent part; least recently used periods go first.
const CACHE_BYTES = 128 * 1024 * 1024;

/**
 * The row as one comma-separated text (sketches in hex). node-sqlite3 spends ~13 µs handing over a row
 * of 23 columns and ~3 µs for one text: reading a period's 1,200 cells costs 4 ms instead of 16.
 * Every part is a number, a slug or a period key: none holds a comma, and none is null.
 */
function packedRowSql(db: Db): string {
  const hex = engineOf(db) === 'pg' ? (c: string) => `encode(${c}, 'hex')` : (c: string) => `hex(${c})`;
  const parts = ['level', 'period', 'agent_id', 'team_id', 'channel', ...COUNT_COLUMNS.map(([, c]) => c), hex('first_response_times'), hex('resolution_times')];
  return `concat_ws(',', ${parts.join(', ')}) as packed`;
}

/** Per-cell sketches in hex, as one pair list: one hex decode for the whole period, not one per cell. */
function pairsFromHex(hex: readonly string[]): PairLists {
  const ends = new Int32Array(hex.length);
  let at = 0;
  const whole = hex.map((h, c) => {
    // 16 hex digits a pair; a partial pair (never written) is dropped, as int32Pairs drops it.
    const digits = h.length - (h.length % 16);
    at += digits / 8;
    ends[c] = at;
    return digits === h.length ? h : h.slice(0, digits);
  });
  return { pairs: int32Pairs(Buffer.from(whole.join(''), 'hex')), ends };
}

/** Turns one period's packed kpi_rollups rows, split at their commas, into its cells. */
function toPeriodCells(level: RollupLevel, period: string, rows: readonly string[][]): PeriodCells {
  const size = rows.length;
  const numbers = new Float64Array(size * WIDTH);
  const agentIds = new Int32Array(size);
  const teamIds = new Int32Array(size);
  const channels: string[] = [];
  const channelCodes = new Int32Array(size);
  const firstResponse: string[] = [];
  const resolution: string[] = [];
  rows.forEach((f, c) => {
    agentIds[c] = Number(f[2]);
    teamIds[c] = Number(f[3]);
    channels.push(f[4] as string);
    channelCodes[c] = channelCode(f[4] as string);
    for (let i = 0; i < WIDTH; i++) numbers[c * WIDTH + i] = Number(f[5 + i]);
    firstResponse.push(f[5 + WIDTH] as string);
    resolution.push(f[6 + WIDTH] as string);
  });
  const fr = pairsFromHex(firstResponse);
  const rs = pairsFromHex(resolution);
  return { level, period, size, agentIds, teamIds, channels, channelCodes, numbers, firstResponse: fr.pairs, firstResponseEnds: fr.ends, resolution: rs.pairs, resolutionEnds: rs.ends };
}

// Channels are few (slugs an organisation uses); numbering them lets the query key groups by numbers.
const channelCodes = new Map<string, number>();
function channelCode(channel: string): number {
  let code = channelCodes.get(channel);
  if (code === undefined) {
    code = channelCodes.size;
    channelCodes.set(channel, code);
  }
  return code;
}

const bytesOf = (p: PeriodCells): number => p.numbers.byteLength + p.firstResponse.byteLength + p.resolution.byteLength + p.size * 24;
const keyOf = (level: string, period: string): string => `${level}|${period}`;

// Periods per statement: each statement's rows are parsed and packed before the next is read, so a cold
// year by day (~430,000 rows at the benchmark's size) never holds more than a month of parsed rows.
const PERIODS_PER_READ = 31;

/** Reads the rows of these periods (only the filtered cells when a filter is given), grouped into cells. */
async function readPeriodCells(db: Db, periods: readonly PeriodVersion[], filter: CellFilter): Promise<PeriodCells[]> {
  const cells: PeriodCells[] = [];
  for (let i = 0; i < periods.length; i += PERIODS_PER_READ) {
    const chunk = periods.slice(i, i + PERIODS_PER_READ);
    const query = db('kpi_rollups').select(db.raw(packedRowSql(db)));
    whereInRuns(query, chunk.map((p) => ({ level: p.level, first: p.period, last: p.period })));
    if (filter.agentId !== null) query.where('agent_id', filter.agentId);
    if (filter.teamId !== null) query.where('team_id', filter.teamId);
    if (filter.channel !== null) query.where('channel', filter.channel);
    const byPeriod = new Map<string, string[][]>(chunk.map((p) => [keyOf(p.level, p.period), []]));
    for (const { packed } of (await query) as { packed: string }[]) {
      const fields = packed.split(',');
      byPeriod.get(keyOf(fields[0] as string, fields[1] as string))?.push(fields);
    }
    for (const p of chunk) cells.push(toPeriodCells(p.level, p.period, byPeriod.get(keyOf(p.level, p.period)) ?? []));
  }
  return cells;
}

interface Cached {
  readonly epoch: string;
  readonly version: number;
  readonly cells: PeriodCells;
  /** Whether this period's version moved while it was cached (it is being written to). */
  readonly moved: boolean;
  /** Queries that found it unchanged since it was last read. */
  quietHits: number;
}

// A period that moved counts as settled again after this many queries found it unchanged.
const QUIET_HITS_TO_SETTLE = 32;

/** The cells of every period of a rollup epoch that a process read last, up to CACHE_BYTES. */
export class PeriodCellCache {
  private readonly entries: BoundedLru<Cached>;

  constructor(maxBytes = CACHE_BYTES) {
    this.entries = new BoundedLru(maxBytes);
  }

  /**
   * The cells of `periods` (with the versions just read), from memory where the version still matches.
   * A filtered query reads only its own cells of the periods it misses, and keeps nothing of them.
   */
  async cellsOf(db: Db, epoch: string, periods: readonly PeriodVersion[], filter: CellFilter): Promise<PeriodCells[]> {
    const found = new Map<string, PeriodCells>();
    const missing: PeriodVersion[] = [];
    for (const p of periods) {
      const key = keyOf(p.level, p.period);
      const hit = this.entries.peek(key);
      if (hit !== undefined && hit.epoch === epoch && hit.version === p.version) {
        this.entries.get(key);
        hit.quietHits += 1;
        found.set(key, hit.cells);
      } else missing.push(p);
    }
    const unfiltered = filter.agentId === null && filter.teamId === null && filter.channel === null;
    const read = await readPeriodCells(db, missing, filter);
    read.forEach((cells, i) => {
      const key = keyOf(cells.level, cells.period);
      found.set(key, cells);
      const moved = this.entries.peek(key)?.epoch === epoch;
      if (unfiltered) this.entries.set(key, { epoch, version: (missing[i] as PeriodVersion).version, cells, moved, quietHits: 0 }, bytesOf(cells));
    });
    return periods.map((p) => found.get(keyOf(p.level, p.period)) as PeriodCells);
  }

  /**
   * Whether a period at this epoch and version is settled: cached at exactly that version (a filtered
   * read that missed keeps nothing, so it is not) and not written to lately (its version did not move
   * while cached, or has not for a while). The query keeps settled periods' groups merged.
   */
  isSettled(epoch: string, p: PeriodVersion): boolean {
    const entry = this.entries.peek(keyOf(p.level, p.period));
    return entry !== undefined && entry.epoch === epoch && entry.version === p.version && (!entry.moved || entry.quietHits >= QUIET_HITS_TO_SETTLE);
  }

  /** Bytes held (for tests). */
  get size(): number {
    return this.entries.weight;
  }
}

/** The cache of one database handle (every handle of a process reads the same versions). */
export const periodCellCache: (db: Db) => PeriodCellCache = perHandle(() => new PeriodCellCache());
