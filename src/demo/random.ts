/**
 * A small seeded pseudo-random generator and the distributions the demo draws from. Deterministic on
 * purpose: the same seed gives the same demo, so screenshots and bug reports can be reproduced.
 * Not for anything secret (ids and tokens come from node:crypto).
 */

/** Uniform numbers in [0, 1). */
export type Random = () => number;

/**
 * mulberry32: 32 bits of state, fast, and good enough for synthetic data. Its period (2^32) is far
 * above what a 5,000,000-interaction demo draws.
 */
export function mulberry32(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A standard normal draw (Box–Muller; the second value is dropped to keep the stream simple). */
export function normal(rng: Random): number {
  const u = 1 - rng();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng());
}

/** A log-normal draw with the given median and log-scale spread. */
export function logNormal(rng: Random, median: number, sigma: number): number {
  return median * Math.exp(sigma * normal(rng));
}

/** One element of a non-empty list, uniformly. */
export function pick<T>(rng: Random, items: readonly T[]): T {
  return items[Math.floor(rng() * items.length)] as T;
}

/** Running totals of weights, for `pickIndex`. */
export function cumulative(weights: readonly number[]): Float64Array {
  const out = new Float64Array(weights.length);
  let sum = 0;
  weights.forEach((w, i) => (out[i] = sum += w));
  return out;
}

/** An index drawn in proportion to the weights behind `totals` (binary search: agents can number 1,000). */
export function pickIndex(rng: Random, totals: Float64Array): number {
  const target = rng() * (totals[totals.length - 1] ?? 0);
  let lo = 0;
  let hi = totals.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((totals[mid] as number) > target) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** Clamps to [min, max]. */
export function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}
