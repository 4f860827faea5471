/**
 * The KPIs of a query read from kpi_rollups: the range is covered by whole months, weeks and days (see
 * rollup-periods.ts), and one aggregate query sums the counts and concatenates the packed duration
 * sketches per SQL group, so the database does the row work and Node gets one row per group (plus a
 * few when a time grouping meets edge days). Filters match ids looked up once by external id / name.
 */
import { engineOf, type Db } from '../db/knex';
import { emptyCounts, scoreGroup, type KpiCounts } from '../scoring';
import { compareKeys, type GroupKey, type KpiGroup, type KpiReport } from './kpi-report';
import type { Dimension, KpiQuery } from './kpi-query';
import { monthOf, weekOf } from './report-calendar';
import { COUNT_COLUMNS } from './rollup-cells';
import { coverRange, levelsFor } from './rollup-periods';
import { SketchFolder, type PackedTimeScores } from './sketch-codec';

type SqlValue = string | number | null;
type SqlRow = Record<string, SqlValue | Buffer>;

interface Group {
  readonly key: GroupKey;
  readonly numbers: number[];
  /** Packed duration sketches of the SQL rows that make up the group. */
  readonly firstResponse: Buffer[];
  readonly resolution: Buffer[];
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

function scored(numbers: readonly number[], firstResponse: PackedTimeScores, resolution: PackedTimeScores, minResponses: number): Omit<KpiGroup, 'key'> {
  const counts: Record<string, unknown> = { ...emptyCounts() };
  COUNT_COLUMNS.forEach(([field], i) => (counts[field] = numbers[i]));
  // scoreGroup gets empty sketches: the time scores come from the packed sketches, without a Map per group.
  return { ...scoreGroup(counts as unknown as KpiCounts, minResponses), first_response_seconds: firstResponse, resolution_seconds: resolution };
}

/** Computes the report from the rollups (which must have been built in the report's time zone). */
export async function computeKpisFromRollups(db: Db, minResponses: number, q: KpiQuery): Promise<KpiReport> {
  const agentId = await filterId(db, 'agents', 'external_id', q.agent);
  const teamId = await filterId(db, 'teams', 'name', q.team);
  const timeDimension = q.groupBy.find((d) => TIME_DIMENSIONS.includes(d));
  const columns = [...(q.groupBy.includes('agent') ? ['agent_id'] : []), ...(q.groupBy.includes('team') ? ['team_id'] : []), ...(q.groupBy.includes('channel') ? ['channel'] : []), ...(timeDimension ? ['level', 'period'] : [])];
  const concat = engineOf(db) === 'pg' ? (c: string) => `string_agg(${c}, ''::bytea)` : (c: string) => `cast(group_concat(${c}, '') as blob)`;
  const runs = q.from <= q.to ? coverRange(q.from, q.to, levelsFor(q.groupBy)) : [];
  let rows: SqlRow[] = [];
  if (agentId !== undefined && teamId !== undefined && runs.length > 0) {
    const query = db('kpi_rollups')
      .select(columns)
      .select(db.raw(COUNT_COLUMNS.map(([, c]) => `sum(${c}) as ${c}`).join(', ')))
      .select(db.raw(`${concat('first_response_times')} as first_response_times, ${concat('resolution_times')} as resolution_times`))
      .where((w) => {
        for (const run of runs) w.orWhere((r) => r.where('level', run.level).andWhere('period', '>=', run.first).andWhere('period', '<=', run.last));
      });
    if (agentId !== null) query.where('agent_id', agentId);
    if (teamId !== null) query.where('team_id', teamId);
    if (q.channel !== null) query.where('channel', q.channel);
    if (columns.length > 0) query.groupBy(columns);
    rows = (await query) as SqlRow[];
  }

  const agents = q.groupBy.includes('agent') ? await namesById(db, 'agents', 'external_id') : new Map<number, string>();
  const teams = q.groupBy.includes('team') ? await namesById(db, 'teams', 'name') : new Map<number, string>();
  const groups = new Map<string, Group>();
  const totals = COUNT_COLUMNS.map(() => 0);
  for (const row of rows) {
    if (row.interactions === null) continue; // the one all-NULL row of an aggregate over nothing
    const key: GroupKey = {};
    for (const d of q.groupBy) {
      if (d === 'agent') key.agent = agents.get(Number(row.agent_id)) ?? String(row.agent_id);
      else if (d === 'team') key.team = Number(row.team_id) === 0 ? null : (teams.get(Number(row.team_id)) ?? null);
      else if (d === 'channel') key.channel = String(row.channel);
      else key[d] = timeKey(d, String(row.level), String(row.period));
    }
    const id = JSON.stringify(q.groupBy.map((d) => key[d]));
    let group = groups.get(id);
    if (group === undefined) {
      group = { key, numbers: COUNT_COLUMNS.map(() => 0), firstResponse: [], resolution: [] };
      groups.set(id, group);
    }
    COUNT_COLUMNS.forEach(([, c], i) => {
      const value = Number(row[c] ?? 0);
      group.numbers[i] = (group.numbers[i] as number) + value;
      totals[i] = (totals[i] as number) + value;
    });
    if (row.first_response_times) group.firstResponse.push(row.first_response_times as Buffer);
    if (row.resolution_times) group.resolution.push(row.resolution_times as Buffer);
  }
  const firstResponse = new SketchFolder();
  const resolution = new SketchFolder();
  const scoredGroups: KpiGroup[] = [];
  for (const g of groups.values()) {
    g.firstResponse.forEach((b) => firstResponse.add(b));
    g.resolution.forEach((b) => resolution.add(b));
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

async function namesById(db: Db, table: 'agents' | 'teams', column: string): Promise<Map<number, string>> {
  const rows = (await db(table).select('id', column)) as Record<string, string | number>[];
  return new Map(rows.map((r) => [Number(r.id), String(r[column])]));
}
