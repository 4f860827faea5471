/**
 * The KPIs of a query read from kpi_rollups: the range is covered by whole months, weeks and days (see
 * rollup-periods.ts), whose cells come from the process's period cache (period-cells.ts: read again only
 * when a period's version moved), and are added up here per group: counts summed, duration sketches
 * folded into dense counts per group. Filters match ids looked up once by external id / name.
 */
import type { Db } from '../db/knex';
import { emptyCounts, scoreGroup, type KpiCounts } from '../scoring';
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

function scored(numbers: Float64Array, firstResponse: PackedTimeScores, resolution: PackedTimeScores, minResponses: number): Omit<KpiGroup, 'key'> {
  const counts: Record<string, unknown> = { ...emptyCounts() };
  COUNT_COLUMNS.forEach(([field], i) => (counts[field] = numbers[i]));
  // scoreGroup gets empty sketches: the time scores come from the packed sketches, without a Map per group.
  return { ...scoreGroup(counts as unknown as KpiCounts, minResponses), first_response_seconds: firstResponse, resolution_seconds: resolution };
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
  const groups = new Map<string, Group>();
  const totals = new Float64Array(WIDTH);
  for (const p of periods) {
    const times = timeKeys(q.groupBy, p);
    for (let c = 0; c < p.size; c++) {
      if (!matches(p, c, filter)) continue;
      let id = '';
      for (const d of q.groupBy) id += `${d === 'agent' ? p.agentIds[c] : d === 'team' ? p.teamIds[c] : d === 'channel' ? p.channels[c] : times[d]}|`;
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
      firstResponse.addPairs(p.firstResponse.subarray(c === 0 ? 0 : p.firstResponseEnds[c - 1], p.firstResponseEnds[c]));
      resolution.addPairs(p.resolution.subarray(c === 0 ? 0 : p.resolutionEnds[c - 1], p.resolutionEnds[c]));
    });
    const times = [firstResponse.takeGroup(), resolution.takeGroup()] as const;
    if ((g.numbers[0] as number) > 0) scoredGroups.push({ key: g.key, ...scored(g.numbers, times[0], times[1], minResponses) });
  }
  return {
    from: q.from,
    to: q.to,
    group_by: q.groupBy,
    min_responses: minResponses,
    total: { key: {}, ...scored(totals, firstResponse.totalScores(), resolution.totalScores(), minResponses) },
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
