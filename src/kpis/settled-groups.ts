/**
 * The groups of a KPI query over its settled periods, merged once and kept. A 90-day query by agent and
 * channel adds up ~11,000 cells and folds ~2 million sketch pairs; nearly all of it lies in periods nobody
 * writes to any more. Their groups are merged into one set (counts summed, each group's sketch pairs
 * folded into one pair per bucket: ~40 % of the pairs) and cached under the exact versions they were
 * built from, so a query only adds the periods still being written to (today, mostly) on top. A settled
 * period that moves gets a new key: it is never read stale.
 */
import type { Dimension } from './kpi-query';
import { assignCells, cellsInGroupOrder, emptyGrouping, type CellAssignment, type Grouping, type KeyOf } from './cell-grouping';
import type { CellFilter, PeriodCells } from './period-cells';
import { BoundedLru } from './bounded-lru';
import { perHandle } from './per-handle';
import type { PeriodVersion } from './rollup-store';
import { concatPairs, SketchFolder, type FolderTotal, type PackedTimeScores, type PairLists } from './sketch-codec';

/** One duration metric of a settled set: each group's merged pairs and scores, and the total's window. */
export interface SettledSketches {
  /** Group g's pairs are cell g. */
  readonly pairs: PairLists;
  readonly scores: readonly PackedTimeScores[];
  readonly total: FolderTotal;
}

/** A grouping of settled periods with each group's sketches merged and scored. */
export interface SettledGroups extends Grouping {
  readonly firstResponse: SettledSketches;
  readonly resolution: SettledSketches;
}

/** A folder per duration metric. */
export interface Folders {
  readonly firstResponse: SketchFolder;
  readonly resolution: SketchFolder;
}

/** The cells assigned to each group, in group order (see cellsInGroupOrder), and the periods they are in. */
export interface GroupCells {
  readonly periods: readonly PeriodCells[];
  readonly starts: Int32Array;
  readonly refs: Int32Array;
}

export function groupCells(periods: readonly PeriodCells[], assignment: CellAssignment): GroupCells {
  return { periods, ...cellsInGroupOrder(assignment) };
}

/** How many cells of these periods group g holds. */
export const cellCount = (cells: GroupCells, g: number): number => (cells.starts[g + 1] ?? 0) - (cells.starts[g] ?? 0);

/** Adds group g's cells' sketches to the folders (and to their totals). */
export function foldCells(cells: GroupCells, g: number, folders: Folders): void {
  const { periods, starts, refs } = cells;
  for (let r = (starts[g] as number) * 2; r < (starts[g + 1] as number) * 2; r += 2) {
    const p = periods[refs[r] as number] as PeriodCells;
    const c = refs[r + 1] as number;
    folders.firstResponse.addPairs(p.firstResponse, c === 0 ? 0 : p.firstResponseEnds[c - 1], p.firstResponseEnds[c]);
    folders.resolution.addPairs(p.resolution, c === 0 ? 0 : p.resolutionEnds[c - 1], p.resolutionEnds[c]);
  }
}

/** Adds settled group g's merged sketches to the folders' current group only: their totals hold them already. */
export function foldSettled(settled: SettledGroups, g: number, folders: Folders): void {
  const fr = settled.firstResponse.pairs;
  const rs = settled.resolution.pairs;
  folders.firstResponse.addPairsToGroup(fr.pairs, g === 0 ? 0 : fr.ends[g - 1], fr.ends[g]);
  folders.resolution.addPairsToGroup(rs.pairs, g === 0 ? 0 : rs.ends[g - 1], rs.ends[g]);
}

/** A group's sketch as SketchFolder.takeGroupPairs gives it. */
type TakenGroup = ReturnType<SketchFolder['takeGroupPairs']>;

/** Groups `periods` and merges and scores each group's sketches. */
export function settleGroups(periods: readonly PeriodCells[], dims: readonly Dimension[], filter: CellFilter, keyOf: KeyOf): SettledGroups {
  const grouping = emptyGrouping();
  const cells = groupCells(periods, assignCells(grouping, periods, dims, filter, keyOf));
  const folders: Folders = { firstResponse: new SketchFolder(), resolution: new SketchFolder() };
  const taken: Record<keyof Folders, TakenGroup[]> = { firstResponse: [], resolution: [] };
  for (let g = 0; g < grouping.keys.length; g++) {
    foldCells(cells, g, folders);
    taken.firstResponse.push(folders.firstResponse.takeGroupPairs());
    taken.resolution.push(folders.resolution.takeGroupPairs());
  }
  const sketches = (metric: keyof Folders): SettledSketches => ({
    pairs: concatPairs(taken[metric].map((t) => t.pairs)),
    scores: taken[metric].map((t) => t.scores),
    total: folders[metric].totalSnapshot(),
  });
  return { ...grouping, firstResponse: sketches('firstResponse'), resolution: sketches('resolution') };
}

// Room for a few dozen query shapes at the benchmark's size (a 90-day agent × channel set is ~6 MB).
const CACHE_BYTES = 64 * 1024 * 1024;

const sketchBytes = (s: SettledSketches): number => s.pairs.pairs.byteLength + s.pairs.ends.byteLength + s.scores.length * 64 + s.total.counts.byteLength;
const bytesOf = (s: SettledGroups): number => s.keys.length * (s.totals.byteLength + 128) + sketchBytes(s.firstResponse) + sketchBytes(s.resolution);

/** What a settled set is kept under: everything its content depends on. */
export function settledKey(epoch: string, dims: readonly Dimension[], filter: CellFilter, periods: readonly PeriodVersion[]): string {
  const parts = periods.map((p) => `${p.level}${p.period}@${p.version}`).sort();
  return `${epoch}|${dims.join(',')}|${filter.agentId ?? ''}|${filter.teamId ?? ''}|${filter.channel ?? ''}|${parts.join(' ')}`;
}

/** Settled sets by key, least recently used out first past CACHE_BYTES. */
export class SettledGroupCache {
  private readonly entries: BoundedLru<SettledGroups>;

  constructor(maxBytes = CACHE_BYTES) {
    this.entries = new BoundedLru(maxBytes);
  }

  /** The set kept under `key`, or the one `build` makes (then kept). */
  get(key: string, build: () => SettledGroups): SettledGroups {
    const hit = this.entries.get(key);
    if (hit !== undefined) return hit;
    const groups = build();
    this.entries.set(key, groups, bytesOf(groups));
    return groups;
  }

  /** Sets held (for tests). */
  get count(): number {
    return this.entries.size;
  }
}

/** The settled sets of one database handle. */
export const settledGroupCache: (db: object) => SettledGroupCache = perHandle(() => new SettledGroupCache());
