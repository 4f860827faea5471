/**
 * A mergeable quantile sketch for durations in seconds (DDSketch-style log buckets), so time percentiles
 * can be rolled up per day and cell and merged at query time instead of keeping every raw duration.
 *
 * Bucket `i` (any integer) holds the values in (γ^(i−1), γ^i], with γ = (1+α)/(1−α) and α = 0.01. Its
 * representative value 2·γ^i/(γ+1) is within α = 1% of every value in the bucket. 0 cannot be bucketed on a
 * log scale, so it has its own exact bucket, ZERO_BUCKET = −2^31: the smallest 32-bit integer, which fits an
 * `integer` column on SQLite and PostgreSQL and sorts below every other index (a positive double's index is
 * ≥ about −37,221). Bucket indexes are stored in rollup rows: changing α or the indexing needs a rollup rebuild.
 *
 * A sketch may carry negative counts while it is a difference (a delta to apply to a rollup); buckets whose
 * count reaches 0 are dropped so that equal multisets have equal sketches. Quantiles need all counts positive.
 */

/** The sketch's guaranteed relative accuracy. */
export const SKETCH_RELATIVE_ACCURACY = 0.01;

/** The bucket ratio γ = (1+α)/(1−α). */
export const SKETCH_GAMMA = (1 + SKETCH_RELATIVE_ACCURACY) / (1 - SKETCH_RELATIVE_ACCURACY);

/** The bucket index that holds exactly the value 0. */
export const ZERO_BUCKET = -2_147_483_648;

const LOG_GAMMA = Math.log(SKETCH_GAMMA);

/** Counts of durations per bucket index; plain data, one rollup row per entry. */
export interface TimeSketch {
  /** Bucket index → how many values fell in it (never 0; negative only in a difference). */
  readonly buckets: ReadonlyMap<number, number>;
}

/** A sketch holding no values. */
export function emptySketch(): TimeSketch {
  return { buckets: new Map() };
}

/** The bucket index of a duration in seconds (finite, ≥ 0); ZERO_BUCKET for 0. */
export function bucketOf(seconds: number): number {
  if (!Number.isFinite(seconds) || seconds < 0) throw new RangeError(`a duration must be finite and ≥ 0, got ${seconds}`);
  if (seconds === 0) return ZERO_BUCKET;
  let index = Math.ceil(Math.log(seconds) / LOG_GAMMA);
  // The logarithm can round a value sitting on a bucket edge into the neighbouring bucket; settle it against
  // the same γ^i that the representative uses, so the 1% bound holds at the edges too.
  while (seconds > Math.pow(SKETCH_GAMMA, index)) index += 1;
  while (seconds <= Math.pow(SKETCH_GAMMA, index - 1)) index -= 1;
  return index;
}

/** The value reported for a bucket: 0 for ZERO_BUCKET, else 2·γ^i/(γ+1). */
export function bucketValue(index: number): number {
  if (index === ZERO_BUCKET) return 0;
  return (2 * Math.pow(SKETCH_GAMMA, index)) / (SKETCH_GAMMA + 1);
}

/** A new sketch with `count` more values of `seconds` (a negative count removes them). */
export function sketchAdd(sketch: TimeSketch, seconds: number, count = 1): TimeSketch {
  return sketchFromBuckets([...sketch.buckets, [bucketOf(seconds), count]]);
}

/** A sketch from (bucket index, count) pairs such as rollup rows; repeated indexes are summed. */
export function sketchFromBuckets(entries: Iterable<readonly [number, number]>): TimeSketch {
  const buckets = new Map<number, number>();
  for (const [index, count] of entries) {
    if (!Number.isSafeInteger(index)) throw new RangeError(`a bucket index must be an integer, got ${index}`);
    if (!Number.isSafeInteger(count)) throw new RangeError(`a bucket count must be an integer, got ${count}`);
    const total = (buckets.get(index) ?? 0) + count;
    if (total === 0) buckets.delete(index);
    else buckets.set(index, total);
  }
  return { buckets };
}

/** The sketch of both multisets of values. */
export function mergeSketches(a: TimeSketch, b: TimeSketch): TimeSketch {
  return sketchFromBuckets([...a.buckets, ...b.buckets]);
}

/** The sketch of `a` with the values of `b` taken out; buckets that reach 0 are dropped. */
export function subtractSketches(a: TimeSketch, b: TimeSketch): TimeSketch {
  return sketchFromBuckets([...a.buckets, ...[...b.buckets].map(([index, count]): [number, number] => [index, -count])]);
}

/** How many values the sketch holds. */
export function sketchCount(sketch: TimeSketch): number {
  let n = 0;
  for (const count of sketch.buckets.values()) n += count;
  return n;
}

/** The nearest rank ⌈p·n⌉ (1-based) for p in (0, 1] and n ≥ 1. */
export function nearestRank(p: number, n: number): number {
  if (!(p > 0 && p <= 1)) throw new RangeError(`a quantile must be in (0, 1], got ${p}`);
  const product = p * n;
  const nearest = Math.round(product);
  // p is meant as a decimal: 0.07·100 is 7.000000000000001 in binary and must still be rank 7, not 8.
  const rank = Math.abs(product - nearest) <= 1e-9 * Math.max(1, product) ? nearest : Math.ceil(product);
  return Math.min(n, Math.max(1, rank));
}

/** The nearest-rank p-quantile (rank ⌈p·n⌉ of the sorted values) within 1%, or null for an empty sketch. */
export function sketchQuantile(sketch: TimeSketch, p: number): number | null {
  if (!(p > 0 && p <= 1)) throw new RangeError(`a quantile must be in (0, 1], got ${p}`);
  const ordered = [...sketch.buckets].sort(([a], [b]) => a - b);
  if (ordered.some(([, count]) => count < 0)) throw new RangeError('a sketch with negative counts has no quantiles');
  const n = sketchCount(sketch);
  if (n === 0) return null;
  const rank = nearestRank(p, n);
  let seen = 0;
  for (const [index, count] of ordered) {
    seen += count;
    if (seen >= rank) return bucketValue(index);
  }
  // Unreachable: the counts add up to n ≥ rank.
  throw new Error('sketch counts do not add up');
}
