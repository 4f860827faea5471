/**
 * Which group of a KPI query each rollup cell falls in, and the groups' summed counts (pure). A group's id
 * is a small integer made of its dimensions' codes (agent id, team id, channel number, time key number).
 * A grouping can be extended by more periods: a grouping of the settled periods (settled-groups.ts) is
 * copied and the query's other periods are assigned on top, each cell to the group it would have had.
 */
import type { GroupKey } from './kpi-report';
import type { Dimension } from './kpi-query';
import type { CellFilter, PeriodCells } from './period-cells';
import { monthOf, weekOf } from './report-calendar';
import { COUNT_COLUMNS } from './rollup-cells';

const WIDTH = COUNT_COLUMNS.length;
const TIME_DIMENSIONS: readonly Dimension[] = ['day', 'week', 'month'];

/** The groups found so far: their ids, keys and summed counts, and the total's. */
export interface Grouping {
  /** Group id → group number. */
  readonly index: Map<number | string, number>;
  /** Time key → its number in group ids. */
  readonly timeCodes: Map<string, number>;
  readonly keys: GroupKey[];
  /** COUNT_COLUMNS.length sums per group. */
  readonly numbers: Float64Array[];
  readonly totals: Float64Array;
}

/** Where the cells of some periods went: per period, each cell's group number (−1: filtered out). */
export interface CellAssignment {
  readonly cellGroups: Int32Array[];
  /** Per group number, how many of these cells it holds. */
  readonly sizes: number[];
}

/** The key of a group whose first cell is cell `c` of `p` (its time keys given). */
export type KeyOf = (p: PeriodCells, c: number, times: Partial<Record<Dimension, string>>) => GroupKey;

export function emptyGrouping(): Grouping {
  return { index: new Map(), timeCodes: new Map(), keys: [], numbers: [], totals: new Float64Array(WIDTH) };
}

/** A copy of `base` that more cells can be assigned to without changing `base`. */
export function copyGrouping(base: Grouping): Grouping {
  return {
    index: new Map(base.index),
    timeCodes: new Map(base.timeCodes),
    keys: base.keys.slice(),
    numbers: base.numbers.map((n) => n.slice()),
    totals: base.totals.slice(),
  };
}

// A group's id: a small integer made of its dimensions' codes while they fit (a hash-map key that costs
// no allocation), else a string.
function groupId(a: number, b: number): number | string {
  return a < 32_768 && b < 65_536 ? a * 65_536 + b : `${a}|${b}`;
}

const matches = (p: PeriodCells, c: number, f: CellFilter): boolean =>
  (f.agentId === null || p.agentIds[c] === f.agentId) && (f.teamId === null || p.teamIds[c] === f.teamId) && (f.channel === null || p.channels[c] === f.channel);

/** Puts every cell of `periods` that the filter keeps in its group of `grouping` (adding groups as needed), summing counts. */
export function assignCells(grouping: Grouping, periods: readonly PeriodCells[], dims: readonly Dimension[], filter: CellFilter, keyOf: KeyOf): CellAssignment {
  const { index, timeCodes, totals } = grouping;
  const cellGroups: Int32Array[] = [];
  const sizes: number[] = new Array<number>(grouping.keys.length).fill(0);
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
        sizes.push(0);
      }
      groups[c] = g;
      sizes[g] = (sizes[g] as number) + 1;
      const sums = grouping.numbers[g] as Float64Array;
      for (let i = 0, at = c * WIDTH; i < WIDTH; i++, at++) {
        const value = p.numbers[at] as number;
        sums[i] = (sums[i] as number) + value;
        totals[i] = (totals[i] as number) + value;
      }
    }
    cellGroups.push(groups);
  }
  return { cellGroups, sizes };
}

/**
 * The assigned cells in group order, as (period index, cell) pairs: group g's are refs[2·starts[g] ..
 * 2·starts[g+1]). Folding a group's sketches then reads its cells one after another.
 */
export function cellsInGroupOrder(assignment: CellAssignment): { starts: Int32Array; refs: Int32Array } {
  const { sizes, cellGroups } = assignment;
  const starts = new Int32Array(sizes.length + 1);
  sizes.forEach((n, g) => (starts[g + 1] = (starts[g] as number) + n));
  const next = starts.slice(0, -1);
  const refs = new Int32Array((starts[sizes.length] as number) * 2);
  cellGroups.forEach((groups, pi) => {
    for (let c = 0; c < groups.length; c++) {
      const g = groups[c] as number;
      if (g < 0) continue;
      const at = (next[g] as number) * 2;
      next[g] = (next[g] as number) + 1;
      refs[at] = pi;
      refs[at + 1] = c;
    }
  });
  return { starts, refs };
}

function timeKey(dimension: Dimension, level: string, period: string): string {
  if (level === 'm') return period;
  if (dimension === 'day') return period;
  if (dimension === 'week') return level === 'w' ? period : weekOf(period);
  return monthOf(period);
}

/** The key of each time dimension of `dims` that a period lies in (a period lies inside one of each). */
function timeKeys(dims: readonly Dimension[], p: PeriodCells): Partial<Record<Dimension, string>> {
  const keys: Partial<Record<Dimension, string>> = {};
  for (const d of dims) if (TIME_DIMENSIONS.includes(d)) keys[d] = timeKey(d, p.level, p.period);
  return keys;
}
