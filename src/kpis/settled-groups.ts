/**
 * The groups of a KPI query over its settled periods, merged once and kept. A 90-day query by agent and
 * channel adds up ~11,000 cells and folds ~2 million sketch pairs; nearly all of it lies in periods nobody
 * writes to any more. Their groups are merged into one set (counts summed, each group's sketch pairs
 * folded into one pair per bucket: ~40 % of the pairs) and cached under the exact versions they were
 * built from, so a query only adds the periods still being written to (today, mostly) on top. A settled
 * period that moves gets a new key: it is never read stale.
 */
import type { Dimension } from './kpi-query';
import { assignCells, cellsInGroupOrder, emptyGrouping, type Grouping, type KeyOf } from './cell-grouping';
import type { CellFilter, PeriodCells } from './period-cells';
import type { PeriodVersion } from './rollup-store';
import { concatPairs, SketchFolder, type PairLists } from './sketch-codec';

/** A grouping of settled periods with each group's sketches merged: group g's pairs are its cell g. */
export interface SettledGroups extends Grouping {
  readonly firstResponse: PairLists;
  readonly resolution: PairLists;
}

/** Folds `periods`' cells group by group: `each(g)` runs after group g's pairs are in the folders. */
export function foldGroups(
  periods: readonly PeriodCells[],
  grouping: Grouping,
  assignment: ReturnType<typeof assignCells>,
  settled: SettledGroups | null,
  folders: { firstResponse: SketchFolder; resolution: SketchFolder },
  each: (g: number) => void,
): void {
  const { starts, refs } = cellsInGroupOrder(assignment);
  const settledCount = settled?.keys.length ?? 0;
  const { firstResponse, resolution } = folders;
  for (let g = 0; g < grouping.keys.length; g++) {
    if (settled !== null && g < settledCount) {
      const fr = settled.firstResponse;
      const rs = settled.resolution;
      firstResponse.addPairs(fr.pairs, g === 0 ? 0 : fr.ends[g - 1], fr.ends[g]);
      resolution.addPairs(rs.pairs, g === 0 ? 0 : rs.ends[g - 1], rs.ends[g]);
    }
    for (let r = (starts[g] as number) * 2; r < (starts[g + 1] as number) * 2; r += 2) {
      const p = periods[refs[r] as number] as PeriodCells;
      const c = refs[r + 1] as number;
      firstResponse.addPairs(p.firstResponse, c === 0 ? 0 : p.firstResponseEnds[c - 1], p.firstResponseEnds[c]);
      resolution.addPairs(p.resolution, c === 0 ? 0 : p.resolutionEnds[c - 1], p.resolutionEnds[c]);
    }
    each(g);
  }
}

/** Groups `periods` and merges each group's sketches. */
export function settleGroups(periods: readonly PeriodCells[], dims: readonly Dimension[], filter: CellFilter, keyOf: KeyOf): SettledGroups {
  const grouping = emptyGrouping();
  const assignment = assignCells(grouping, periods, dims, filter, keyOf);
  const folders = { firstResponse: new SketchFolder(), resolution: new SketchFolder() };
  const firstResponse: Int32Array[] = [];
  const resolution: Int32Array[] = [];
  foldGroups(periods, grouping, assignment, null, folders, () => {
    firstResponse.push(folders.firstResponse.takeGroupPairs());
    resolution.push(folders.resolution.takeGroupPairs());
  });
  return { ...grouping, firstResponse: concatPairs(firstResponse), resolution: concatPairs(resolution) };
}

// Room for a few dozen query shapes at the benchmark's size (a 90-day agent × channel set is ~6 MB).
const CACHE_BYTES = 64 * 1024 * 1024;

const bytesOf = (s: SettledGroups): number =>
  s.keys.length * (s.totals.byteLength + 128) + s.firstResponse.pairs.byteLength + s.resolution.pairs.byteLength + s.firstResponse.ends.byteLength * 2;

/** What a settled set is kept under: everything its content depends on. */
export function settledKey(epoch: string, dims: readonly Dimension[], filter: CellFilter, periods: readonly PeriodVersion[]): string {
  const parts = periods.map((p) => `${p.level}${p.period}@${p.version}`).sort();
  return `${epoch}|${dims.join(',')}|${filter.agentId ?? ''}|${filter.teamId ?? ''}|${filter.channel ?? ''}|${parts.join(' ')}`;
}

/** Settled sets by key, least recently used out first past CACHE_BYTES. */
export class SettledGroupCache {
  private readonly entries = new Map<string, { readonly groups: SettledGroups; readonly bytes: number }>();
  private bytes = 0;

  constructor(private readonly maxBytes = CACHE_BYTES) {}

  /** The set kept under `key`, or the one `build` makes (then kept). */
  get(key: string, build: () => SettledGroups): SettledGroups {
    const hit = this.entries.get(key);
    if (hit !== undefined) {
      this.entries.delete(key);
      this.entries.set(key, hit);
      return hit.groups;
    }
    const groups = build();
    const bytes = bytesOf(groups);
    if (bytes > this.maxBytes) return groups;
    this.entries.set(key, { groups, bytes });
    this.bytes += bytes;
    for (const [oldest, value] of this.entries) {
      if (this.bytes <= this.maxBytes) break;
      this.entries.delete(oldest);
      this.bytes -= value.bytes;
    }
    return groups;
  }

  /** Sets held (for tests). */
  get count(): number {
    return this.entries.size;
  }
}

const caches = new WeakMap<object, SettledGroupCache>();

/** The settled sets of one database handle (as periodCellCache). */
export function settledGroupCache(db: object): SettledGroupCache {
  let cache = caches.get(db);
  if (cache === undefined) {
    cache = new SettledGroupCache();
    caches.set(db, cache);
  }
  return cache;
}
