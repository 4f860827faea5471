/** Raw answers and interactions for the scoring property tests, and the exact computations they are checked against. */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  addCounts, countAnswers, countInteraction, countSurveySent, emptyCounts,
  type AnswerInput, type InteractionInput, type KpiCounts,
} from '../../src/scoring';

/** One closed interaction as the rollups see it: its times, whether its survey went out, and the answers if any. */
export interface RawRecord {
  /** The interaction's contacts and times. */
  readonly interaction: InteractionInput;
  /** Whether its survey email was accepted by the mail server. */
  readonly sent: boolean;
  /** The stored answers, or null when the survey was never opened. */
  readonly answers: AnswerInput | null;
}

const CLOSED_AT = Date.parse('2026-11-20T14:03:00Z');
const DAY_MS = 86_400_000;

export const answersArb: fc.Arbitrary<AnswerInput> = fc.record({
  nps: fc.option(fc.integer({ min: 0, max: 10 }), { nil: null }),
  csat: fc.option(fc.integer({ min: 1, max: 5 }), { nil: null }),
  ces: fc.option(fc.integer({ min: 1, max: 7 }), { nil: null }),
  comment: fc.option(fc.constantFrom('', '   ', '\n', 'Quick and kind', 'Tardaron mucho'), { nil: null }),
});

export const interactionArb: fc.Arbitrary<InteractionInput> = fc
  .record({
    contacts: fc.option(fc.integer({ min: 1, max: 4 }), { nil: null }),
    resolutionMs: fc.option(fc.integer({ min: 0, max: 30 * DAY_MS }), { nil: null }),
    firstResponseShare: fc.option(fc.double({ min: 0, max: 1, noNaN: true }), { nil: null }),
  })
  .map(({ contacts, resolutionMs, firstResponseShare }) => {
    const openedAt = resolutionMs === null ? null : CLOSED_AT - resolutionMs;
    let firstResponseAt: number | null = null;
    if (firstResponseShare !== null) {
      // Without opened_at a first response time cannot count, but integrations may still send one.
      firstResponseAt = openedAt === null || resolutionMs === null ? CLOSED_AT : openedAt + Math.round(firstResponseShare * resolutionMs);
    }
    return { contacts, openedAt, firstResponseAt, closedAt: CLOSED_AT };
  });

export const recordArb: fc.Arbitrary<RawRecord> = fc.record({
  interaction: interactionArb,
  sent: fc.boolean(),
  answers: fc.option(answersArb, { nil: null }),
});

export const recordsArb = fc.array(recordArb, { maxLength: 60 });

/** The counts of raw records, folded one contribution at a time. */
export function countRecords(records: readonly RawRecord[]): KpiCounts {
  let counts = emptyCounts();
  for (const { interaction, sent, answers } of records) {
    counts = addCounts(counts, countInteraction(interaction));
    if (sent) counts = addCounts(counts, countSurveySent());
    if (answers !== null) counts = addCounts(counts, countAnswers(answers));
  }
  return counts;
}

/** The exact nearest-rank percentile (rank ⌈k·n/100⌉ in integer arithmetic), or null for no values. */
export function exactPercentile(values: readonly number[], percent: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.floor((percent * sorted.length + 99) / 100);
  return sorted[rank - 1] ?? null;
}

// 1% is the sketch's bound on exact arithmetic; the slack absorbs the last-bit rounding of γ^i and 2/(γ+1).
const RELATIVE_BOUND = 0.01 * (1 + 1e-9);

/** Asserts an estimate is within 1% of the exact value (both null, or both 0, count as equal). */
export function assertWithinOnePercent(estimate: number | null, exact: number | null, what = 'value'): void {
  if (exact === null || estimate === null) {
    assert.equal(estimate, exact, what);
    return;
  }
  assert.ok(Math.abs(estimate - exact) <= RELATIVE_BOUND * exact, `${what}: ${estimate} is not within 1% of ${exact}`);
}

/** Asserts two numbers agree to `tolerance` (absolute). */
export function assertClose(actual: number | null | undefined, expected: number, tolerance = 1e-9, what = 'value'): void {
  assert.ok(typeof actual === 'number' && Math.abs(actual - expected) <= tolerance, `${what}: expected ${expected} ± ${tolerance}, got ${actual}`);
}
