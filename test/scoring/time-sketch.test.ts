import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  SKETCH_GAMMA, ZERO_BUCKET, bucketOf, bucketValue, emptySketch, mergeSketches, nearestRank, sketchAdd, sketchCount,
  sketchFromBuckets, sketchQuantile, subtractSketches, type TimeSketch,
} from '../../src/scoring';
import { assertWithinOnePercent, exactPercentile } from './raw-data';

const sketchOf = (values: readonly number[]): TimeSketch => values.reduce((sketch, v) => sketchAdd(sketch, v), emptySketch());

// Durations as Rapport sees them: exact zeros, whole milliseconds up to a month, and arbitrary doubles.
const durationArb = fc.oneof(
  fc.constant(0),
  fc.integer({ min: 0, max: 30 * 86_400_000 }).map((ms) => ms / 1000),
  fc.double({ min: 1e-6, max: 1e9, noNaN: true }),
);

describe('duration buckets', () => {
  it('keeps 0 in its own bucket, the smallest 32-bit integer, whose value is exactly 0', () => {
    assert.equal(ZERO_BUCKET, -(2 ** 31));
    assert.equal(bucketOf(0), ZERO_BUCKET);
    assert.equal(bucketValue(ZERO_BUCKET), 0);
  });

  it('puts v in bucket ⌈log_γ v⌉ with γ = 1.01/0.99, so 1 s is bucket 0 and 30 s is bucket 171', () => {
    assert.equal(SKETCH_GAMMA, 1.01 / 0.99);
    assert.equal(bucketOf(1), 0);
    // ln 30 / ln γ = 3.4012 / 0.0200007 = 170.05…, rounded up.
    assert.equal(bucketOf(30), 171);
    assert.equal(bucketOf(0.001), -345);
  });

  it('reports 2·γ^i/(γ+1) for bucket i: 1% below its top edge γ^i and 1% above its bottom edge γ^(i−1)', () => {
    assert.ok(Math.abs(bucketValue(10) / SKETCH_GAMMA ** 10 - 0.99) < 1e-12);
    assert.ok(Math.abs(bucketValue(10) / SKETCH_GAMMA ** 9 - 1.01) < 1e-12);
  });

  it('rejects negative, infinite and NaN durations', () => {
    for (const bad of [-1, -0.001, Number.POSITIVE_INFINITY, Number.NaN]) assert.throws(() => bucketOf(bad), RangeError);
  });

  it('represents every duration within 1% (property)', () => {
    fc.assert(fc.property(fc.double({ min: 1e-300, max: 1e300, noNaN: true }), (v) => assertWithinOnePercent(bucketValue(bucketOf(v)), v)));
  });

  it('never puts a larger duration in a lower bucket (property)', () => {
    fc.assert(fc.property(durationArb, durationArb, (a, b) => {
      const [low, high] = a <= b ? [a, b] : [b, a];
      assert.ok(bucketOf(low) <= bucketOf(high));
    }));
  });
});

describe('nearest rank', () => {
  it('is ⌈p·n⌉: the median of 5 values is the 3rd, the p90 of 5 the 5th, the p90 of 30 the 27th', () => {
    assert.equal(nearestRank(0.5, 5), 3);
    assert.equal(nearestRank(0.9, 5), 5);
    assert.equal(nearestRank(0.9, 30), 27);
    assert.equal(nearestRank(0.5, 1), 1);
    assert.equal(nearestRank(1, 7), 7);
  });

  it('reads p as the decimal it was written as: 0.07 of 100 is rank 7 though 0.07·100 = 7.000000000000001', () => {
    assert.equal(nearestRank(0.07, 100), 7);
    assert.equal(nearestRank(0.29, 100), 29);
  });

  it('rejects p outside (0, 1]', () => {
    for (const bad of [0, -0.5, 1.01, Number.NaN]) assert.throws(() => nearestRank(bad, 10), RangeError);
  });
});

describe('duration quantiles', () => {
  it('finds the nearest-rank median and p90 of a small list within 1%', () => {
    // Sorted: 10, 20, 30, 40, 50. Median rank ⌈0.5·5⌉ = 3 → 30; p90 rank ⌈0.9·5⌉ = ⌈4.5⌉ = 5 → 50.
    const sketch = sketchOf([30, 10, 50, 20, 40]);
    assertWithinOnePercent(sketchQuantile(sketch, 0.5), 30);
    assertWithinOnePercent(sketchQuantile(sketch, 0.9), 50);
    // 1…10: median rank 5 → 5; p90 rank 9 → 9; p100 rank 10 → 10.
    const tens = sketchOf([10, 9, 8, 7, 6, 5, 4, 3, 2, 1]);
    assertWithinOnePercent(sketchQuantile(tens, 0.5), 5);
    assertWithinOnePercent(sketchQuantile(tens, 0.9), 9);
    assertWithinOnePercent(sketchQuantile(tens, 1), 10);
  });

  it('answers exactly 0 when the ranked value is 0', () => {
    // Sorted 0, 0, 5: median rank 2 → 0; p90 rank ⌈2.7⌉ = 3 → 5.
    const sketch = sketchOf([5, 0, 0]);
    assert.equal(sketchQuantile(sketch, 0.5), 0);
    assertWithinOnePercent(sketchQuantile(sketch, 0.9), 5);
  });

  it('has no quantile when empty', () => {
    assert.equal(sketchQuantile(emptySketch(), 0.5), null);
    assert.equal(sketchCount(emptySketch()), 0);
  });

  it('refuses quantiles of a sketch holding a negative count (a difference, not a multiset)', () => {
    assert.throws(() => sketchQuantile(subtractSketches(sketchOf([1]), sketchOf([2, 3])), 0.5), RangeError);
    assert.throws(() => sketchQuantile(sketchOf([1]), 0), RangeError);
  });

  it('lands within 1% of the exact nearest-rank value for any list and percentile (property)', () => {
    fc.assert(
      fc.property(fc.array(durationArb, { maxLength: 300 }), fc.integer({ min: 1, max: 100 }), (values, percent) => {
        const sketch = sketchOf(values);
        assert.equal(sketchCount(sketch), values.length);
        assertWithinOnePercent(sketchQuantile(sketch, percent / 100), exactPercentile(values, percent), `p${percent}`);
      }),
      { numRuns: 500 },
    );
  });

  it('gives the same quantiles after merging two sketches as for the sketch of all values (property)', () => {
    fc.assert(fc.property(fc.array(durationArb), fc.array(durationArb), (a, b) => {
      const merged = mergeSketches(sketchOf(a), sketchOf(b));
      assert.deepEqual(merged, sketchOf([...a, ...b]));
      assertWithinOnePercent(sketchQuantile(merged, 0.9), exactPercentile([...a, ...b], 90));
    }));
  });
});

describe('sketch arithmetic', () => {
  it('adds several equal values at once', () => {
    assert.deepEqual(sketchAdd(emptySketch(), 30, 4), sketchFromBuckets([[171, 4]]));
  });

  it('rebuilds a sketch from rollup rows, summing repeated buckets and dropping zero counts', () => {
    const sketch = sketchFromBuckets([[171, 2], [ZERO_BUCKET, 1], [171, 3], [5, 0]]);
    assert.deepEqual([...sketch.buckets].sort(([a], [b]) => a - b), [[ZERO_BUCKET, 1], [171, 5]]);
    assert.equal(sketchCount(sketch), 6);
  });

  it('rejects non-integer bucket indexes and counts', () => {
    assert.throws(() => sketchFromBuckets([[1.5, 1]]), RangeError);
    assert.throws(() => sketchFromBuckets([[1, 0.5]]), RangeError);
  });

  it('drops buckets that reach 0 when subtracting, so removing what was added gives the empty sketch', () => {
    assert.deepEqual(subtractSketches(sketchOf([30, 0]), sketchOf([0, 30])), emptySketch());
    assert.deepEqual(sketchAdd(sketchOf([30]), 30, -1), emptySketch());
  });

  it('leaves its inputs untouched', () => {
    const a = sketchOf([1, 2]);
    const before = new Map(a.buckets);
    mergeSketches(a, sketchOf([3]));
    subtractSketches(a, sketchOf([1]));
    sketchAdd(a, 4);
    assert.deepEqual(a.buckets, before);
  });

  it('undoes a merge by subtracting (property)', () => {
    fc.assert(fc.property(fc.array(durationArb), fc.array(durationArb), (a, b) => {
      assert.deepEqual(subtractSketches(mergeSketches(sketchOf(a), sketchOf(b)), sketchOf(b)), sketchOf(a));
    }));
  });
});
