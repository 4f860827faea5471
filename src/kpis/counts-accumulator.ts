/**
 * Sums many KpiCounts in place. `addCounts` returns a new record (and copies its sketches) on every call,
 * which is right for one change at a time but slow when folding thousands of rows into groups.
 */
import { emptyCounts, sketchFromBuckets, type KpiCounts } from '../scoring';

type NumericField = Exclude<keyof KpiCounts, 'firstResponse' | 'resolution'>;
const NUMERIC_FIELDS = (Object.keys(emptyCounts()) as (keyof KpiCounts)[]).filter((k): k is NumericField => k !== 'firstResponse' && k !== 'resolution');

export class CountsAccumulator {
  private readonly numbers: Record<NumericField, number>;
  private readonly firstResponse = new Map<number, number>();
  private readonly resolution = new Map<number, number>();

  constructor() {
    this.numbers = Object.fromEntries(NUMERIC_FIELDS.map((f) => [f, 0])) as Record<NumericField, number>;
  }

  add(counts: KpiCounts): void {
    for (const f of NUMERIC_FIELDS) this.numbers[f] += counts[f];
    for (const [bucket, n] of counts.firstResponse.buckets) this.firstResponse.set(bucket, (this.firstResponse.get(bucket) ?? 0) + n);
    for (const [bucket, n] of counts.resolution.buckets) this.resolution.set(bucket, (this.resolution.get(bucket) ?? 0) + n);
  }

  result(): KpiCounts {
    return { ...this.numbers, firstResponse: sketchFromBuckets(this.firstResponse), resolution: sketchFromBuckets(this.resolution) };
  }
}
