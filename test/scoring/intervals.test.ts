import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { meanInterval, npsInterval, npsScore, wilsonInterval, type Interval } from '../../src/scoring';
import { assertClose } from './raw-data';


function assertInterval(actual: Interval | null, expected: Interval, tolerance = 1e-9): void {
  assert.ok(actual !== null, 'expected an interval, got null');
  assertClose(actual[0], expected[0], tolerance, 'low');
  assertClose(actual[1], expected[1], tolerance, 'high');
}

describe('NPS interval', () => {
  // CONTRACT §3: "ci95 = score ± 196·sqrt((p⁺ + p⁻ − (p⁺ − p⁻)²)/n) with p⁺ = P/n, p⁻ = D/n, clipped to [−100, 100]".
  it('is score ± 196·sqrt((p⁺ + p⁻ − (p⁺ − p⁻)²)/n), worked for 18 promoters, 7 passives, 5 detractors of 30', () => {
    // score = 100·(18 − 5)/30 = 43.333…; p⁺ = 18/30 = 0.6, p⁻ = 5/30 = 1/6.
    // p⁺ + p⁻ − (p⁺ − p⁻)² = 23/30 − (13/30)² = 690/900 − 169/900 = 521/900; divided by n = 30: 521/27000.
    // 196·sqrt(521/27000) = 196 · 0.1389111… = 27.2265774…, so [16.1067559…, 70.5599108…].
    // (The contract's rounded example shows [25.1, 61.5] for these counts; that does not follow from its own
    // definition, which this engine implements.)
    const score = 100 * 13 / 30;
    const half = 196 * Math.sqrt(521 / 27000);
    assertClose(npsScore(18, 5, 30), 43.333333333333336);
    assertInterval(npsInterval(18, 5, 30), [score - half, score + half]);
    assertInterval(npsInterval(18, 5, 30), [16.10675590394426, 70.55991076272241], 1e-9);
  });

  it('collapses to [100, 100] when everyone is a promoter and to [−100, −100] when everyone is a detractor', () => {
    // p⁺ = 1, p⁻ = 0: 1 + 0 − 1² = 0, so the half-width is 0.
    assert.deepEqual(npsInterval(25, 0, 25), [100, 100]);
    assert.deepEqual(npsInterval(0, 25, 25), [-100, -100]);
  });

  it('is clipped to [−100, 100]: one promoter and one detractor give 0 ± 138.6', () => {
    // p⁺ = p⁻ = 0.5: 0.5 + 0.5 − 0 = 1; 196·sqrt(1/2) = 138.59…, beyond both ends.
    assert.deepEqual(npsInterval(1, 1, 2), [-100, 100]);
  });

  it('is null with no answers', () => {
    assert.equal(npsScore(0, 0, 0), null);
    assert.equal(npsInterval(0, 0, 0), null);
  });

  it('rejects more promoters and detractors than answers', () => {
    assert.throws(() => npsInterval(3, 2, 4), RangeError);
  });

  it('holds the score and stays within [−100, 100] for any counts (property)', () => {
    const countArb = fc.integer({ min: 0, max: 1_000_000 });
    fc.assert(fc.property(countArb, countArb, countArb, (promoters, passives, detractors) => {
      const n = promoters + passives + detractors;
      fc.pre(n > 0);
      const score = npsScore(promoters, detractors, n);
      const ci = npsInterval(promoters, detractors, n);
      assert.ok(score !== null && ci !== null);
      assert.ok(-100 <= ci[0] && ci[0] <= score && score <= ci[1] && ci[1] <= 100, `${score} in [${ci.join(', ')}]`);
    }));
  });
});

describe('Wilson interval', () => {
  it('is worked by hand for 3 successes of 10', () => {
    // p = 0.3, z² = 3.8416, z²/n = 0.38416, so the denominator is 1.38416.
    // centre = (0.3 + 0.38416/2)/1.38416 = 0.49208/1.38416 = 0.3555080…
    // half = (1.96/1.38416)·sqrt(0.3·0.7/10 + 3.8416/400) = 1.4160212…·sqrt(0.030604) = 0.2477187…
    // → [0.1077893…, 0.6032268…].
    const centre = 0.49208 / 1.38416;
    const half = (1.96 / 1.38416) * Math.sqrt(0.021 + 3.8416 / 400);
    assertInterval(wilsonInterval(3, 10), [centre - half, centre + half]);
    assertInterval(wilsonInterval(3, 10), [0.10778928748621183, 0.6032267800204347], 1e-12);
  });

  it('gives the contract example’s CSAT interval for 35 satisfied of 40: [73.9, 94.5] once times 100 and rounded', () => {
    const ci = wilsonInterval(35, 40);
    assert.ok(ci !== null);
    assert.deepEqual(ci.map((end) => Math.round(1000 * end) / 10), [73.9, 94.5]);
  });

  it('is defined for a single answer: [0.2065, 1] for 1 of 1 and [0, 0.7935] for 0 of 1', () => {
    // n = 1, p = 1: centre = (1 + 1.9208)/4.8416 = 0.6033, half = (1.96/4.8416)·sqrt(0 + 0.9604) = 0.3967.
    assertInterval(wilsonInterval(1, 1), [0.2065432914738929, 1], 1e-12);
    assertInterval(wilsonInterval(0, 1), [0, 0.7934567085261071], 1e-12);
  });

  it('is null with no answers and rejects more successes than answers', () => {
    assert.equal(wilsonInterval(0, 0), null);
    assert.throws(() => wilsonInterval(5, 4), RangeError);
  });

  it('holds the observed proportion and stays within [0, 1] (property)', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 1_000_000 }), fc.double({ min: 0, max: 1, noNaN: true }), (n, share) => {
      const successes = Math.round(share * n);
      const ci = wilsonInterval(successes, n);
      assert.ok(ci !== null);
      const p = successes / n;
      assert.ok(0 <= ci[0] && ci[0] <= p && p <= ci[1] && ci[1] <= 1, `${p} in [${ci.join(', ')}]`);
    }));
  });
});

describe('mean interval', () => {
  it('is mean ± 1.96·s/√n with s the sample standard deviation, worked for the answers 4, 5, 6, 5', () => {
    // n = 4, Σx = 20, Σx² = 16 + 25 + 36 + 25 = 102; mean = 5.
    // s² = (Σx² − (Σx)²/n)/(n − 1) = (102 − 100)/3 = 2/3; s = 0.8164966…; s/√4 = 0.4082483…
    // 1.96 · 0.4082483 = 0.8001666… → [4.1998334…, 5.8001666…].
    const half = 1.96 * Math.sqrt(2 / 3) / 2;
    assertInterval(meanInterval(20, 102, 4), [5 - half, 5 + half]);
  });

  it('is not clipped to the scale (CONTRACT §3 clips only NPS): the answers 7, 6, 5, 3, 7 reach past 7', () => {
    // n = 5, Σx = 28, Σx² = 49 + 36 + 25 + 9 + 49 = 168; mean = 5.6.
    // s² = (168 − 28²/5)/4 = (168 − 156.8)/4 = 2.8; s/√5 = 0.7483315; ·1.96 = 1.4667297 → [4.1332703, 7.0667297].
    const half = 1.96 * Math.sqrt(2.8) / Math.sqrt(5);
    assertInterval(meanInterval(28, 168, 5), [5.6 - half, 5.6 + half]);
    assert.ok((meanInterval(28, 168, 5)?.[1] ?? 0) > 7);
  });

  it('is null below two answers and a point when all answers agree', () => {
    assert.equal(meanInterval(0, 0, 0), null);
    assert.equal(meanInterval(6, 36, 1), null);
    // Two answers of 6: s² = (72 − 144/2)/1 = 0.
    assert.deepEqual(meanInterval(12, 72, 2), [6, 6]);
    // Two answers 1 and 7: mean 4, s² = (50 − 64/2)/1 = 18, s/√2 = 3, ± 5.88 → [−1.88, 9.88].
    assertInterval(meanInterval(8, 50, 2), [4 - 5.88, 4 + 5.88]);
  });

  it('holds the mean, symmetric around it, for any mix of 1–7 answers (property)', () => {
    fc.assert(fc.property(fc.array(fc.integer({ min: 0, max: 100_000 }), { minLength: 7, maxLength: 7 }), (perAnswer) => {
      const n = perAnswer.reduce((total, count) => total + count, 0);
      fc.pre(n >= 2);
      const sum = perAnswer.reduce((total, count, i) => total + (i + 1) * count, 0);
      const sumSq = perAnswer.reduce((total, count, i) => total + (i + 1) ** 2 * count, 0);
      const ci = meanInterval(sum, sumSq, n);
      assert.ok(ci !== null);
      const mean = sum / n;
      assert.ok(ci[0] <= mean && mean <= ci[1], `${mean} in [${ci.join(', ')}]`);
      assert.ok(Math.abs(ci[1] - mean - (mean - ci[0])) <= 1e-9 * Math.max(1, mean), `symmetric: [${ci.join(', ')}]`);
    }));
  });
});
