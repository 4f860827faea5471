/**
 * The KPIs of a query read from kpi_rollups: the range is covered by whole months, weeks and days (see
 * rollup-periods.ts), whose cells come from the process's period cache (period-cells.ts: read again only
 * when a period's version moved). The settled periods' groups come merged from settled-groups.ts; the
 * periods still being written to are added on top, per group: counts summed, duration sketches folded
 * into dense counts per group. Filters match ids looked up once by external id / name.
 */
import type { Db } from '../db/knex';
import { scoreCounts, type KpiNumbers } from '../scoring';
import { assignCells, copyGrouping, emptyGrouping, type CellAssignment, type Grouping, type KeyOf } from './cell-grouping';
import { compareKeys, type GroupKey, type KpiGroup, type KpiReport } from './kpi-report';
import type { Dimension, KpiQuery } from './kpi-query';
import { periodCellCache, type CellFilter, type PeriodCells } from './period-cells';
import { COUNT_COLUMNS } from './rollup-cells';
import { coverRange, levelsFor } from './rollup-periods';
import { readPeriodVersions, type PeriodVersion, type RollupState } from './rollup-store';
import { cellCount, foldCells, foldSettled, groupCells, settledGroupCache, settledKey, settleGroups, type Folders, type SettledGroups } from './settled-groups';
import { groupSignature, scoredGroupMemo } from './scored-group-memo';
import { SketchFolder, type PackedTimeScores } from './sketch-codec';

const WIDTH = COUNT_COLUMNS.length;
// The total's key: one object, so the scored-group memo keeps the total apart from every group.
const TOTAL_KEY: GroupKey = Object.freeze({});

/** The id behind a filter value, null when no filter, or undefined when nothing matches. */
async function filterId(db: Db, table: 'agents' | 'teams', column: string, value: string | null): Promise<number | null | undefined> {
  if (value === null) return null;
  const row = (await db(table).where(column, value).first('id')) as { id: number } | undefined;
  return row === undefined ? undefined : Number(row.id);
}

/** The contract's GROUP for summed counts and folded duration scores. */
function scored(key: GroupKey, numbers: Float64Array, firstResponse: PackedTimeScores, resolution: PackedTimeScores, minResponses: number): KpiGroup {
  const counts: Record<string, number> = {};
  for (let i = 0; i < WIDTH; i++) counts[(COUNT_COLUMNS[i] as (typeof COUNT_COLUMNS)[number])[0]] = numbers[i] as number;
  return { key, ...scoreCounts(counts as unknown as KpiNumbers, minResponses), first_response_seconds: firstResponse, resolution_seconds: resolution };
}

/** Computes the report from the rollups, which `state` says were built in the report's time zone. */
export async function computeKpisFromRollups(db: Db, state: RollupState, minResponses: number, q: KpiQuery): Promise<KpiReport> {
  const agentId = await filterId(db, 'agents', 'external_id', q.agent);
  const teamId = await filterId(db, 'teams', 'name', q.team);
  const runs = q.from <= q.to ? coverRange(q.from, q.to, levelsFor(q.groupBy)) : [];
  const filter: CellFilter = { agentId: agentId ?? null, teamId: teamId ?? null, channel: q.channel };
  const nothing = agentId === undefined || teamId === undefined || runs.length === 0;
  // Versions first, cells after: cells read later are at least as new as the versions they are kept under.
  const versions = nothing ? [] : await readPeriodVersions(db, runs);
  const cache = periodCellCache(db);
  const periods = nothing ? [] : await cache.cellsOf(db, state.epoch, versions, filter);
  // Names after the cells: every agent and team a cell names was committed before it, so none is missing.
  const [agents, teams] = await Promise.all([
    q.groupBy.includes('agent') ? namesById(db, 'agents', 'external_id') : new Map<number, string>(),
    q.groupBy.includes('team') ? namesById(db, 'teams', 'name') : new Map<number, string>(),
  ]);
  const keyOf: KeyOf = (p, c, times) => groupKey(q.groupBy, p, c, times, agents, teams);
  // The settled periods' groups come merged; the periods being written to are assigned on top of them.
  const isSettled = versions.map((v) => cache.isSettled(state.epoch, v));
  const settled = cachedSettledGroups(db, state, q.groupBy, filter, keyOf, periods.filter((_, i) => isSettled[i]), versions.filter((_, i) => isSettled[i]));
  const live = periods.filter((_, i) => !isSettled[i]);
  const grouping = settled === null ? emptyGrouping() : copyGrouping(settled);
  const assignment = assignCells(grouping, live, q.groupBy, filter, keyOf);
  const scoreOnce = scoredGroupMemo(db).forShape(queryShape(q, filter, minResponses));
  const { groups, total } = scoreGrouping(live, grouping, assignment, settled, (key, numbers, times) =>
    scoreOnce(key, groupSignature(numbers, times[0], times[1]), () => scored(key, numbers, times[0], times[1], minResponses)),
  );
  return {
    from: q.from,
    to: q.to,
    group_by: q.groupBy,
    min_responses: minResponses,
    total,
    groups: q.groupBy.length === 0 ? [] : groups.sort((a, b) => compareKeys(a.key, b.key, q.groupBy)),
  };
}

type Score = (key: GroupKey, numbers: Float64Array, times: readonly [PackedTimeScores, PackedTimeScores]) => KpiGroup;

/**
 * Scores each group and the total. A settled group with no live cell keeps its settled scores; one with
 * live cells folds its merged settled pairs and its live cells' pairs. The totals start from the settled
 * set's and take the live pairs only.
 */
function scoreGrouping(
  live: readonly PeriodCells[],
  grouping: Grouping,
  assignment: CellAssignment,
  settled: SettledGroups | null,
  score: Score,
): { groups: KpiGroup[]; total: KpiGroup } {
  const folders: Folders = settled === null
    ? { firstResponse: new SketchFolder(), resolution: new SketchFolder() }
    : { firstResponse: SketchFolder.startingFrom(settled.firstResponse.total), resolution: SketchFolder.startingFrom(settled.resolution.total) };
  const cells = groupCells(live, assignment);
  const settledCount = settled?.keys.length ?? 0;
  const groups: KpiGroup[] = [];
  for (let g = 0; g < grouping.keys.length; g++) {
    let times: readonly [PackedTimeScores, PackedTimeScores];
    if (settled !== null && g < settledCount && cellCount(cells, g) === 0) {
      times = [settled.firstResponse.scores[g] as PackedTimeScores, settled.resolution.scores[g] as PackedTimeScores];
    } else {
      if (settled !== null && g < settledCount) foldSettled(settled, g, folders);
      foldCells(cells, g, folders);
      times = [folders.firstResponse.takeGroup(), folders.resolution.takeGroup()];
    }
    const numbers = grouping.numbers[g] as Float64Array;
    if ((numbers[0] as number) > 0) groups.push(score(grouping.keys[g] as GroupKey, numbers, times));
  }
  return { groups, total: score(TOTAL_KEY, grouping.totals, [folders.firstResponse.totalScores(), folders.resolution.totalScores()]) };
}

/** Everything a scored group depends on besides its key, counts and duration scores. */
function queryShape(q: KpiQuery, filter: CellFilter, minResponses: number): string {
  return `${q.from}|${q.to}|${q.groupBy.join(',')}|${filter.agentId}|${filter.teamId}|${filter.channel ?? ''}|${minResponses}`;
}

/** The merged groups of the settled periods (null when there are none), from the cache when built before. */
function cachedSettledGroups(
  db: Db,
  state: RollupState,
  dims: readonly Dimension[],
  filter: CellFilter,
  keyOf: KeyOf,
  periods: readonly PeriodCells[],
  versions: readonly PeriodVersion[],
): SettledGroups | null {
  if (periods.length === 0) return null;
  return settledGroupCache(db).get(settledKey(state.epoch, dims, filter, versions), () => settleGroups(periods, dims, filter, keyOf));
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
