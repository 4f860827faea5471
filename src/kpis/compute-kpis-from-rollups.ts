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

/** Which group each cell falls in, and each group's key and summed counts. */
interface Grouping {
  /** Per period, each cell's group index, or −1 when the filter leaves it out. */
  readonly cellGroups: Int32Array[];
  readonly keys: GroupKey[];
  readonly numbers: Float64Array[];
  /** Cells per group. */
  readonly sizes: number[];
  readonly totals: Float64Array;
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

// A group's id: a small integer made of its dimensions' codes while they fit (a hash-map key that costs
// no allocation), else a string.
function groupId(a: number, b: number): number | string {
  return a < 32_768 && b < 65_536 ? a * 65_536 + b : `${a}|${b}`;
}

const matches = (p: PeriodCells, c: number, f: CellFilter): boolean =>
  (f.agentId === null || p.agentIds[c] === f.agentId) && (f.teamId === null || p.teamIds[c] === f.teamId) && (f.channel === null || p.channels[c] === f.channel);

/** Computes the report from the rollups, which `state` says were built in the report's time zone. */
export async function computeKpisFromRollups(db: Db, state: RollupState, minResponses: number, q: KpiQuery): Promise<KpiReport> {
  const agentId = await filterId(db, 'agents', 'external_id', q.agent);
  const teamId = await filterId(db, 'teams', 'name', q.team);
  const runs = q.from <= q.to ? coverRange(q.from, q.to, levelsFor(q.groupBy)) : [];
  const filter: CellFilter = { agentId: agentId ?? null, teamId: teamId ?? null, channel: q.channel };
  const nothing = agentId === undefined || teamId === undefined || runs.length === 0;
  // Versions first, cells after: cells read later are at least as new as the versions they are kept under.
  const periods = nothing ? [] : await periodCellCache(db).cellsOf(db, state.epoch, await readPeriodVersions(db, runs), filter);
  // Names after the cells: every agent and team a cell names was committed before it, so none is missing.
  const [agents, teams] = await Promise.all([
    q.groupBy.includes('agent') ? namesById(db, 'agents', 'external_id') : new Map<number, string>(),
    q.groupBy.includes('team') ? namesById(db, 'teams', 'name') : new Map<number, string>(),
  ]);
  const grouping = assignGroups(periods, q.groupBy, filter, (p, c, times) => groupKey(q.groupBy, p, c, times, agents, teams));
  const { scoredGroups, firstResponse, resolution } = scoreGroups(periods, grouping, minResponses);
  return {
    from: q.from,
    to: q.to,
    group_by: q.groupBy,
    min_responses: minResponses,
    total: scored({}, grouping.totals, firstResponse.totalScores(), resolution.totalScores(), minResponses),
    groups: q.groupBy.length === 0 ? [] : scoredGroups.sort((a, b) => compareKeys(a.key, b.key, q.groupBy)),
  };
}

type KeyOf = (p: PeriodCells, c: number, times: Partial<Record<Dimension, string>>) => GroupKey;

/** Puts every cell the filter keeps in its group, summing the groups' counts and the total's. */
function assignGroups(periods: readonly PeriodCells[], dims: readonly Dimension[], filter: CellFilter, keyOf: KeyOf): Grouping {
  const grouping: Grouping = { cellGroups: [], keys: [], numbers: [], sizes: [], totals: new Float64Array(WIDTH) };
  const index = new Map<number | string, number>();
  const timeCodes = new Map<string, number>();
  for (const p of periods) {
    const times = timeKeys(dims, p);
    const codesOf = (d: Dimension | undefined): Int32Array | number => {
      if (d === undefined) return 0;
      if (d === 'agent') return p.agentIds;
      if (d === 'team') return p.teamIds;
      if (d === 'channel') return p.channelCodes;
      const time = times[d] as string;
      if (!timeCodes.has(time)) timeCodes.set(time, timeCodes.size);
      return timeCodes.get(time) as number;
    };
    const first = codesOf(dims[0]);
    const second = codesOf(dims[1]);
    const groups = new Int32Array(p.size).fill(-1);
    for (let c = 0; c < p.size; c++) {
      if (!matches(p, c, filter)) continue;
      const id = groupId(typeof first === 'number' ? first : (first[c] as number), typeof second === 'number' ? second : (second[c] as number));
      let g = index.get(id);
      if (g === undefined) {
        g = grouping.keys.length;
        index.set(id, g);
        grouping.keys.push(keyOf(p, c, times));
        grouping.numbers.push(new Float64Array(WIDTH));
        grouping.sizes.push(0);
      }
      groups[c] = g;
      grouping.sizes[g] = (grouping.sizes[g] as number) + 1;
      const sums = grouping.numbers[g] as Float64Array;
      const { totals } = grouping;
      for (let i = 0, at = c * WIDTH; i < WIDTH; i++, at++) {
        const value = p.numbers[at] as number;
        sums[i] = (sums[i] as number) + value;
        totals[i] = (totals[i] as number) + value;
      }
    }
    grouping.cellGroups.push(groups);
  }
  return grouping;
}

/** Folds each group's duration sketches, group after group, and scores it. */
function scoreGroups(periods: readonly PeriodCells[], grouping: Grouping, minResponses: number): { scoredGroups: KpiGroup[]; firstResponse: SketchFolder; resolution: SketchFolder } {
  // The cells in group order: (period, cell) pairs, each group's from starts[g].
  const starts = new Int32Array(grouping.keys.length + 1);
  grouping.sizes.forEach((n, g) => (starts[g + 1] = (starts[g] as number) + n));
  const next = starts.slice(0, -1);
  const refs = new Int32Array((starts[grouping.keys.length] as number) * 2);
  grouping.cellGroups.forEach((groups, pi) => {
    for (let c = 0; c < groups.length; c++) {
      const g = groups[c] as number;
      if (g < 0) continue;
      const at = (next[g] as number) * 2;
      next[g] = (next[g] as number) + 1;
      refs[at] = pi;
      refs[at + 1] = c;
    }
  });
  const firstResponse = new SketchFolder();
  const resolution = new SketchFolder();
  const scoredGroups: KpiGroup[] = [];
  grouping.keys.forEach((key, g) => {
    for (let r = (starts[g] as number) * 2; r < (starts[g + 1] as number) * 2; r += 2) {
      const p = periods[refs[r] as number] as PeriodCells;
      const c = refs[r + 1] as number;
      firstResponse.addPairs(p.firstResponse, c === 0 ? 0 : p.firstResponseEnds[c - 1], p.firstResponseEnds[c]);
      resolution.addPairs(p.resolution, c === 0 ? 0 : p.resolutionEnds[c - 1], p.resolutionEnds[c]);
    }
    const times = [firstResponse.takeGroup(), resolution.takeGroup()] as const;
    const numbers = grouping.numbers[g] as Float64Array;
    if ((numbers[0] as number) > 0) scoredGroups.push(scored(key, numbers, times[0], times[1], minResponses));
  });
  return { scoredGroups, firstResponse, resolution };
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
