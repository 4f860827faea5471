/**
 * The KPIs of a query read from kpi_rollups: the range is covered by whole months, weeks and days (see
 * rollup-periods.ts), whose cells come from the process's period cache (period-cells.ts: read again only
 * when a period's version moved), and are added up here per group: counts summed, duration sketches
 * folded into dense counts per group. Filters match ids looked up once by external id / name.
 */
import type { Db } from '../db/knex';
import { scoreCounts, type KpiNumbers } from '../scoring';
import { compareKeys, type GroupKey, type KpiGroup, type KpiReport } from './kpi-report';
import type { Dimension, KpiQuery } from './kpi-query';
import { periodCellCache, type CellFilter, type PeriodCells } from './period-cells';
import { monthOf, weekOf } from './report-calendar';
import { COUNT_COLUMNS } from './rollup-cells';
import { coverRange, levelsFor } from './rollup-periods';
import { readPeriodVersions, type RollupState } from './rollup-store';
import { SketchFolder, type PackedTimeScores } from './sketch-codec';

const WIDTH = COUNT_COLUMNS.length;

interface Group {
  readonly key: GroupKey;
  readonly numbers: Float64Array;
  /** The cells that make up the group: parts[i] is cell cells[i] of that period. */
  readonly parts: PeriodCells[];
  readonly cells: number[];
}

const TIME_DIMENSIONS: readonly Dimension[] = ['day', 'week', 'month'];

/** The id behind a filter value, null when no filter, or undefined when nothing matches. */
async function filterId(db: Db, table: 'agents' | 'teams', column: string, value: string | null): Promise<number | null | undefined> {
  if (value === null) return null;
  const row = (await db(table).where(column, value).first('id')) as { id: number } | undefined;
  return row === undefined ? undefined : Number(row.id);
}

function timeKey(dimension: Dimension, level: string, period: string): string {
  if (level === 'm') return period;
  if (dimension === 'day') return period;
  if (dimension === 'week') return level === 'w' ? period : weekOf(period);
  return monthOf(period);
}

/** The contract's GROUP for summed counts and folded duration scores. */
function scored(key: GroupKey, numbers: Float64Array, firstResponse: PackedTimeScores, resolution: PackedTimeScores, minResponses: number): KpiGroup {
  const counts: Record<string, number> = {};
  for (let i = 0; i < WIDTH; i++) counts[(COUNT_COLUMNS[i] as (typeof COUNT_COLUMNS)[number])[0]] = numbers[i] as number;
  return { key, ...scoreCounts(counts as unknown as KpiNumbers, minResponses), first_response_seconds: firstResponse, resolution_seconds: resolution };
}

// Group ids are numbers (cheap to hash) while every dimension's code fits 26 bits; otherwise strings.
const RADIX = 2 ** 26;
function groupId(codes: readonly Int32Array[], c: number): number | string {
  const [first, second] = codes;
  if (first === undefined) return 0;
  const a = first[c] as number;
  if (second === undefined) return a;
  const b = second[c] as number;
  return a < RADIX && b < RADIX ? a * RADIX + b : `${a}|${b}`;
}

const matches = (p: PeriodCells, c: number, f: CellFilter): boolean =>
  (f.agentId === null || p.agentIds[c] === f.agentId) && (f.teamId === null || p.teamIds[c] === f.teamId) && (f.channel === null || p.channels[c] === f.channel);

/** Computes the report from the rollups, which `state` says were built in the report's time zone. */
export async function computeKpisFromRollups(db: Db, state: RollupState, minResponses: number, q: KpiQuery): Promise<KpiReport> {
  const agentId = await filterId(db, 'agents', 'external_id', q.agent);
  const teamId = await filterId(db, 'teams', 'name', q.team);
  const runs = q.from <= q.to ? coverRange(q.from, q.to, levelsFor(q.groupBy)) : [];
  let periods: PeriodCells[] = [];
  const filter: CellFilter = { agentId: agentId ?? null, teamId: teamId ?? null, channel: q.channel };
  if (agentId !== undefined && teamId !== undefined && runs.length > 0) {
    // Versions first, cells after: cells read later are at least as new as the versions they are kept under.
    periods = await periodCellCache(db).cellsOf(db, state.epoch, await readPeriodVersions(db, runs), filter);
  }

  const agents = q.groupBy.includes('agent') ? await namesById(db, 'agents', 'external_id') : new Map<number, string>();
  const teams = q.groupBy.includes('team') ? await namesById(db, 'teams', 'name') : new Map<number, string>();
  const groups = new Map<number | string, Group>();
  const totals = new Float64Array(WIDTH);
  const timeCodes = new Map<string, number>();
  for (const p of periods) {
    const times = timeKeys(q.groupBy, p);
    const timeCode = (d: Dimension): number => {
      const time = times[d] as string;
      let code = timeCodes.get(time);
      if (code === undefined) timeCodes.set(time, (code = timeCodes.size));
      return code;
    };
    const codes = q.groupBy.map((d) => (d === 'agent' ? p.agentIds : d === 'team' ? p.teamIds : d === 'channel' ? p.channelCodes : new Int32Array(p.size).fill(timeCode(d))));
    for (let c = 0; c < p.size; c++) {
      if (!matches(p, c, filter)) continue;
      const id = groupId(codes, c);
      let group = groups.get(id);
      if (group === undefined) {
        group = { key: groupKey(q.groupBy, p, c, times, agents, teams), numbers: new Float64Array(WIDTH), parts: [], cells: [] };
        groups.set(id, group);
      }
      for (let i = 0; i < WIDTH; i++) {
        const value = p.numbers[c * WIDTH + i] as number;
        group.numbers[i] = (group.numbers[i] as number) + value;
        totals[i] = (totals[i] as number) + value;
      }
      group.parts.push(p);
      group.cells.push(c);
    }
  }
  const firstResponse = new SketchFolder();
  const resolution = new SketchFolder();
  const scoredGroups: KpiGroup[] = [];
  for (const g of groups.values()) {
    g.parts.forEach((p, i) => {
      const c = g.cells[i] as number;
      firstResponse.addPairs(p.firstResponse, c === 0 ? 0 : p.firstResponseEnds[c - 1], p.firstResponseEnds[c]);
      resolution.addPairs(p.resolution, c === 0 ? 0 : p.resolutionEnds[c - 1], p.resolutionEnds[c]);
    });
    const times = [firstResponse.takeGroup(), resolution.takeGroup()] as const;
    if ((g.numbers[0] as number) > 0) scoredGroups.push(scored(g.key, g.numbers, times[0], times[1], minResponses));
  }
  return {
    from: q.from,
    to: q.to,
    group_by: q.groupBy,
    min_responses: minResponses,
    total: scored({}, totals, firstResponse.totalScores(), resolution.totalScores(), minResponses),
    groups: q.groupBy.length === 0 ? [] : scoredGroups.sort((a, b) => compareKeys(a.key, b.key, q.groupBy)),
  };
}

/** The key of each time dimension of `dims` that a period lies in (a period lies inside one of each). */
function timeKeys(dims: readonly Dimension[], p: PeriodCells): Partial<Record<Dimension, string>> {
  const keys: Partial<Record<Dimension, string>> = {};
  for (const d of dims) if (TIME_DIMENSIONS.includes(d)) keys[d] = timeKey(d, p.level, p.period);
  return keys;
}

function groupKey(dims: readonly Dimension[], p: PeriodCells, c: number, times: Partial<Record<Dimension, string>>, agents: Map<number, string>, teams: Map<number, string>): GroupKey {
  const key: GroupKey = {};
  for (const d of dims) {
    if (d === 'agent') key.agent = agents.get(p.agentIds[c] as number) ?? String(p.agentIds[c]);
    else if (d === 'team') key.team = p.teamIds[c] === 0 ? null : (teams.get(p.teamIds[c] as number) ?? null);
    else if (d === 'channel') key.channel = p.channels[c] as string;
    else key[d] = times[d] ?? null;
  }
  return key;
}

async function namesById(db: Db, table: 'agents' | 'teams', column: string): Promise<Map<number, string>> {
  const rows = (await db(table).select('id', column)) as Record<string, string | number>[];
  return new Map(rows.map((r) => [Number(r.id), String(r[column])]));
}
