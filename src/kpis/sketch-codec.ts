/**
 * The packed form of a duration sketch in a rollup row: little-endian int32 (bucket index, count) pairs.
 * A bucket may appear more than once (writers append, see the kpi_rollups migration): the sketch is the
 * sum over all pairs, so the concatenation of two packed sketches is their merge. Readers never build a
 * Map per cell: they fold packed bytes straight into dense counts per group (SketchFolder).
 */
import { bucketValue, nearestRank, ZERO_BUCKET } from '../scoring';

const PAIR_BYTES = 8;
// A local copy: a re-exported binding compiles to a getter, too slow to call per pair in the loops below.
const ZERO = ZERO_BUCKET;

/** Packs (bucket, count) pairs, in ascending bucket order so a rebuilt row has one canonical form. */
export function packBuckets(buckets: ReadonlyMap<number, number>): Buffer {
  const ordered = [...buckets].filter(([, n]) => n !== 0).sort(([a], [b]) => a - b);
  const out = Buffer.allocUnsafe(ordered.length * PAIR_BYTES);
  ordered.forEach(([index, count], i) => {
    out.writeInt32LE(index, i * PAIR_BYTES);
    out.writeInt32LE(count, i * PAIR_BYTES + 4);
  });
  return out;
}

/** The pairs of packed bytes, summed per bucket (repeats merged, zero counts dropped). */
export function unpackBuckets(packed: Buffer | Uint8Array | null): Map<number, number> {
  const buckets = new Map<number, number>();
  const view = int32Pairs(packed);
  for (let i = 0; i < view.length; i += 2) {
    const index = view[i] as number;
    const total = (buckets.get(index) ?? 0) + (view[i + 1] as number);
    if (total === 0) buckets.delete(index);
    else buckets.set(index, total);
  }
  return buckets;
}

/** The (bucket, count) pairs of packed bytes as int32 values, without copying when the bytes are aligned. */
export function int32Pairs(packed: Buffer | Uint8Array | null): Int32Array {
  if (packed === null || packed.byteLength < PAIR_BYTES) return new Int32Array(0);
  const length = Math.floor(packed.byteLength / PAIR_BYTES) * 2;
  // An Int32Array needs 4-byte alignment; drivers hand out buffers at any offset, so copy when needed.
  if (packed.byteOffset % 4 === 0) return new Int32Array(packed.buffer, packed.byteOffset, length);
  const copy = new Uint8Array(length * 4);
  copy.set(packed.subarray(0, length * 4));
  return new Int32Array(copy.buffer);
}

// Int32Array reads in host byte order; rows are written little-endian.
if (new Uint8Array(new Uint32Array([1]).buffer)[0] !== 1) throw new Error('KPI rollups need a little-endian host');

/** Per-cell pair lists laid end to end: cell c's pairs are pairs[ends[c−1] .. ends[c]) (from 0 for the first). */
export interface PairLists {
  readonly pairs: Int32Array;
  readonly ends: Int32Array;
}

export function concatPairs(lists: readonly Int32Array[]): PairLists {
  const pairs = new Int32Array(lists.reduce((n, v) => n + v.length, 0));
  const ends = new Int32Array(lists.length);
  let at = 0;
  lists.forEach((v, c) => {
    pairs.set(v, at);
    at += v.length;
    ends[c] = at;
  });
  return { pairs, ends };
}

/** Time scores as scoreGroup reports them: n, and the nearest-rank median and p90 within 1% (null when empty). */
export interface PackedTimeScores {
  readonly n: number;
  readonly median: number | null;
  readonly p90: number | null;
}

// Bucket indexes of real durations: 1 ms is bucket −345 and a century about +1,085, so a fixed window
// holds every one of them; a value outside it (impossible for stored times) is refused loudly.
const LOWEST = -700;
const WIDTH = 2048;

/** A folder's running total, kept to start another folder from. */
export interface FolderTotal {
  readonly counts: Float64Array;
  readonly zeros: number;
  readonly n: number;
  readonly lo: number;
  readonly hi: number;
}

/**
 * Folds packed sketches into dense counts, one group after another, and into a running total at the same
 * time: one pass over each pair and no allocation per group (the scratch window is reused and cleared).
 */
export class SketchFolder {
  private readonly group = new Float64Array(WIDTH);
  private readonly total = new Float64Array(WIDTH);
  private groupZeros = 0;
  private totalZeros = 0;
  // Counts added so far (zeros included), so scoring a group needs no pass to count it.
  private groupN = 0;
  private totalN = 0;
  private lo = WIDTH;
  private hi = -1;
  private totalLo = WIDTH;
  private totalHi = -1;

  /** A folder whose total starts as `start` (a total kept by totalSnapshot). */
  static startingFrom(start: FolderTotal): SketchFolder {
    const folder = new SketchFolder();
    folder.total.set(start.counts);
    folder.totalZeros = start.zeros;
    folder.totalN = start.n;
    folder.totalLo = start.lo;
    folder.totalHi = start.hi;
    return folder;
  }

  /** A copy of the total so far (call after the last takeGroup). */
  totalSnapshot(): FolderTotal {
    return { counts: this.total.slice(), zeros: this.totalZeros, n: this.totalN, lo: this.totalLo, hi: this.totalHi };
  }

  /** Adds the (bucket, count) pairs in view[start..end), read as int32 (see int32Pairs), to the current group and to the total. */
  addPairs(view: Int32Array, start = 0, end = view.length): void {
    this.fold(view, start, end, true);
  }

  /** Adds pairs the total holds already (a folder started from a kept total) to the current group only. */
  addPairsToGroup(view: Int32Array, start = 0, end = view.length): void {
    this.fold(view, start, end, false);
  }

  private fold(view: Int32Array, start: number, end: number, toTotal: boolean): void {
    // The hot loop of a KPI query (a million pairs for 90 days by agent and channel): locals, not fields.
    const { group, total } = this;
    let n = 0;
    let zeros = 0;
    let lo = this.lo;
    let hi = this.hi;
    for (let i = start; i < end; i += 2) {
      const index = view[i] as number;
      const count = view[i + 1] as number;
      n += count;
      if (index === ZERO) {
        zeros += count;
        continue;
      }
      const slot = index - LOWEST;
      if (slot < 0 || slot >= WIDTH) throw new RangeError(`a duration bucket out of range: ${index}`);
      group[slot] = (group[slot] as number) + count;
      if (toTotal) total[slot] = (total[slot] as number) + count;
      if (slot < lo) lo = slot;
      if (slot > hi) hi = slot;
    }
    this.groupN += n;
    this.groupZeros += zeros;
    if (toTotal) {
      this.totalN += n;
      this.totalZeros += zeros;
    }
    this.lo = lo;
    this.hi = hi;
  }

  /** The current group's scores; starts the next group. */
  takeGroup(): PackedTimeScores {
    const scores = scoresOf(this.group, this.groupN, this.groupZeros, this.lo, this.hi);
    this.group.fill(0, Math.min(this.lo, WIDTH), this.hi + 1);
    if (this.lo < this.totalLo) this.totalLo = this.lo;
    if (this.hi > this.totalHi) this.totalHi = this.hi;
    this.groupZeros = 0;
    this.groupN = 0;
    this.lo = WIDTH;
    this.hi = -1;
    return scores;
  }

  /**
   * The current group's counts as (bucket, count) pairs, one per bucket in ascending order (the zero
   * bucket first), and its scores; starts the next group. A group folded once this way is cheaper to fold again.
   */
  takeGroupPairs(): { pairs: Int32Array; scores: PackedTimeScores } {
    const { group, lo, hi } = this;
    let distinct = this.groupZeros > 0 ? 1 : 0;
    for (let i = lo; i <= hi; i++) if (group[i] !== 0) distinct += 1;
    const pairs = new Int32Array(distinct * 2);
    let at = 0;
    if (this.groupZeros > 0) {
      pairs[0] = ZERO;
      pairs[1] = this.groupZeros;
      at = 2;
    }
    for (let i = lo; i <= hi; i++) {
      const count = group[i] as number;
      if (count === 0) continue;
      pairs[at] = i + LOWEST;
      pairs[at + 1] = count;
      at += 2;
    }
    return { pairs, scores: this.takeGroup() };
  }

  /** The scores of everything added (call after the last takeGroup). */
  totalScores(): PackedTimeScores {
    return scoresOf(this.total, this.totalN, this.totalZeros, Math.min(this.totalLo, this.lo), Math.max(this.totalHi, this.hi));
  }
}

function scoresOf(counts: Float64Array, n: number, zeros: number, lo: number, hi: number): PackedTimeScores {
  if (n === 0) return { n: 0, median: null, p90: null };
  const medianRank = nearestRank(0.5, n);
  const p90Rank = nearestRank(0.9, n);
  let median: number | null = zeros >= medianRank ? bucketValue(ZERO) : null;
  let p90: number | null = zeros >= p90Rank ? bucketValue(ZERO) : null;
  let seen = zeros;
  for (let i = lo; i <= hi && p90 === null; i++) {
    seen += counts[i] as number;
    if (median === null && seen >= medianRank) median = bucketValue(i + LOWEST);
    if (seen >= p90Rank) p90 = bucketValue(i + LOWEST);
  }
  return { n, median, p90 };
}
