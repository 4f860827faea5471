/**
 * The 95% confidence intervals of CONTRACT §3: Wilson for proportions (CSAT), the normal approximation of the
 * NPS difference of proportions, and mean ± z·s/√n for means (CES). The contract clips the NPS interval to
 * [−100, 100]; Wilson's lies in [0, 1] by construction; the CES interval is the plain normal interval, not
 * clipped, so on few, spread answers it may reach past the 1–7 scale (its width is the honest signal).
 */

/** A closed interval [low, high]. */
export type Interval = readonly [number, number];

/** The z of a two-sided 95% interval. */
export const Z_95 = 1.96;

/** The NPS score 100·(P−D)/n, or null when n = 0. */
export function npsScore(promoters: number, detractors: number, n: number): number | null {
  checkCounts(promoters + detractors, n);
  return n === 0 ? null : 100 * ((promoters - detractors) / n);
}

/** The Wilson score interval of successes/n as proportions in [0, 1], or null when n = 0. */
export function wilsonInterval(successes: number, n: number, z = Z_95): Interval | null {
  checkCounts(successes, n);
  if (n === 0) return null;
  const p = successes / n;
  const z2n = (z * z) / n;
  const center = (p + z2n / 2) / (1 + z2n);
  const half = (z / (1 + z2n)) * Math.sqrt((p * (1 - p)) / n + z2n / (4 * n));
  // The exact interval always holds p and lies in [0, 1]; rounding can leave an end one ulp outside at p = 0 or 1.
  return [Math.max(0, Math.min(p, center - half)), Math.min(1, Math.max(p, center + half))];
}

/** The NPS interval score ± 100·z·sqrt((p⁺ + p⁻ − (p⁺ − p⁻)²)/n), clipped to [−100, 100]; null when n = 0. */
export function npsInterval(promoters: number, detractors: number, n: number, z = Z_95): Interval | null {
  const score = npsScore(promoters, detractors, n);
  if (score === null) return null;
  const pPlus = promoters / n;
  const pMinus = detractors / n;
  // With all answers on one side the variance is exactly 0; rounding may make it a hair negative.
  const variance = Math.max(0, pPlus + pMinus - (pPlus - pMinus) ** 2);
  const half = 100 * z * Math.sqrt(variance / n);
  return [Math.max(-100, score - half), Math.min(100, score + half)];
}

/** The interval mean ± z·s/√n (s: sample standard deviation); null when n < 2. */
export function meanInterval(sum: number, sumSq: number, n: number, z = Z_95): Interval | null {
  if (!(Number.isInteger(n) && n >= 0)) throw new RangeError(`n must be an integer ≥ 0, got ${n}`);
  if (n < 2) return null;
  const mean = sum / n;
  // n·Σx² − (Σx)² is exact for integer answers (well below 2^53), unlike Σx² − (Σx)²/n; identical answers
  // still may leave a tiny negative under other inputs, so clamp the variance at 0.
  const variance = Math.max(0, (n * sumSq - sum * sum) / (n * (n - 1)));
  const half = (z * Math.sqrt(variance)) / Math.sqrt(n);
  return [mean - half, mean + half];
}

function checkCounts(successes: number, n: number): void {
  if (!(Number.isInteger(n) && n >= 0)) throw new RangeError(`n must be an integer ≥ 0, got ${n}`);
  if (!(successes >= 0 && successes <= n)) throw new RangeError(`counts must be within 0–${n}, got ${successes}`);
}
