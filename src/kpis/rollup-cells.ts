/**
 * KPI deltas gathered in memory per rollup cell (level, period, agent, team, channel) before they are
 * written with one upsert per cell: a day's change lands in its day, ISO week and month rows at once.
 */
import type { KpiCounts } from '../scoring';
import { monthOf, weekOf } from './report-calendar';
import { packBuckets } from './sketch-codec';

/** Rollup levels: a local day, an ISO week (keyed by its Monday), a month (`YYYY-MM`). */
export type RollupLevel = 'd' | 'w' | 'm';

type NumericField = Exclude<keyof KpiCounts, 'firstResponse' | 'resolution'>;

/** Each numeric KpiCounts field and its kpi_rollups column. */
export const COUNT_COLUMNS: readonly (readonly [NumericField, string])[] = [
  ['interactions', 'interactions'], ['surveysSent', 'surveys_sent'], ['responses', 'responses'],
  ['npsN', 'nps_n'], ['npsPromoters', 'nps_promoters'], ['npsPassives', 'nps_passives'], ['npsDetractors', 'nps_detractors'],
  ['csatN', 'csat_n'], ['csatSatisfied', 'csat_satisfied'], ['csatSum', 'csat_sum'],
  ['cesN', 'ces_n'], ['cesEasy', 'ces_easy'], ['cesSum', 'ces_sum'], ['cesSumSq', 'ces_sum_sq'],
  ['fcrN', 'fcr_n'], ['fcrFirst', 'fcr_first'],
];

const WIDTH = COUNT_COLUMNS.length;
const COLUMN_NAMES = COUNT_COLUMNS.map(([, column]) => column);

/** Where an interaction's KPIs count: its local closing day and its agent, team and channel. */
export interface RollupPlace {
  /** Local day (YYYY-MM-DD) of closed_at in the rollups' time zone. */
  readonly day: string;
  readonly agentId: number;
  /** The interaction's team, or null. */
  readonly teamId: number | null;
  readonly channel: string;
}

/** One kpi_rollups row (or a delta to add to one), as written. */
export type RollupRow = Record<string, string | number | Buffer>;

interface Cell {
  readonly key: string;
  readonly level: RollupLevel;
  readonly period: string;
  readonly agentId: number;
  readonly teamId: number;
  readonly channel: string;
  /** COUNT_COLUMNS' fields, in that order. */
  readonly numbers: Float64Array;
  readonly firstResponse: Map<number, number>;
  readonly resolution: Map<number, number>;
}

/** The period of each level a local day belongs to. */
export function periodsOf(day: string): readonly (readonly [RollupLevel, string])[] {
  return [['d', day], ['w', weekOf(day)], ['m', monthOf(day)]];
}

function addBuckets(into: Map<number, number>, from: ReadonlyMap<number, number>): void {
  for (const [bucket, n] of from) into.set(bucket, (into.get(bucket) ?? 0) + n);
}

export class RollupDeltas {
  private readonly cells = new Map<string, Cell>();
  private readonly periods = new Map<string, readonly (readonly [RollupLevel, string])[]>();

  /** Adds `counts` to the day, week and month cells of `place`. */
  add(place: RollupPlace, counts: KpiCounts): void {
    let periods = this.periods.get(place.day);
    if (periods === undefined) {
      periods = periodsOf(place.day);
      this.periods.set(place.day, periods);
    }
    const teamId = place.teamId ?? 0;
    // Read once, added to three cells (this runs for every interaction ingested).
    const values = COUNT_COLUMNS.map(([field]) => counts[field]);
    for (const [level, period] of periods) {
      const key = `${level}|${period}|${place.agentId}|${teamId}|${place.channel}`;
      let cell = this.cells.get(key);
      if (cell === undefined) {
        cell = { key, level, period, agentId: place.agentId, teamId, channel: place.channel, numbers: new Float64Array(WIDTH), firstResponse: new Map(), resolution: new Map() };
        this.cells.set(key, cell);
      }
      const numbers = cell.numbers;
      values.forEach((value, i) => (numbers[i] = (numbers[i] ?? 0) + value));
      addBuckets(cell.firstResponse, counts.firstResponse.buckets);
      addBuckets(cell.resolution, counts.resolution.buckets);
    }
  }

  get size(): number {
    return this.cells.size;
  }

  /**
   * Removes and returns the rows of the cells at `levels` (all by default), sorted by key: concurrent
   * writers then lock shared rows in one order, which keeps them from deadlocking on PostgreSQL.
   */
  take(levels: readonly RollupLevel[] = ['d', 'w', 'm']): RollupRow[] {
    const taken: Cell[] = [];
    for (const c of this.cells.values()) if (levels.includes(c.level)) taken.push(c);
    taken.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    return taken.map((c) => {
      this.cells.delete(c.key);
      const row: RollupRow = { level: c.level, period: c.period, agent_id: c.agentId, team_id: c.teamId, channel: c.channel };
      COLUMN_NAMES.forEach((column, i) => (row[column] = c.numbers[i] ?? 0));
      row.first_response_times = packBuckets(c.firstResponse);
      row.resolution_times = packBuckets(c.resolution);
      return row;
    });
  }
}
