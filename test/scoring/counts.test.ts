import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  addCounts, bucketOf, countAnswers, countInteraction, countSurveySent, emptyCounts, sketchFromBuckets, subtractCounts,
  type KpiCounts,
} from '../../src/scoring';
import { answersArb, countRecords, recordsArb } from './raw-data';

const noAnswers = { nps: null, csat: null, ces: null, comment: null };
const closedAt = Date.parse('2026-11-20T14:03:00Z');

/** The contribution of answers, without the fields that are not answer counts. */
function answerFields(counts: KpiCounts): Partial<KpiCounts> {
  const { interactions, surveysSent, fcrN, fcrFirst, firstResponse, resolution, ...rest } = counts;
  assert.deepEqual({ interactions, surveysSent, fcrN, fcrFirst }, { interactions: 0, surveysSent: 0, fcrN: 0, fcrFirst: 0 });
  assert.equal(firstResponse.buckets.size + resolution.buckets.size, 0);
  return rest;
}

describe('counting a survey’s answers', () => {
  it('sorts each NPS answer into exactly one of promoters 9–10, passives 7–8, detractors 0–6', () => {
    const kinds = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map((nps) => {
      const { npsPromoters, npsPassives, npsDetractors } = countAnswers({ ...noAnswers, nps });
      return [npsPromoters, npsPassives, npsDetractors].join('');
    });
    const [promoter, passive, detractor] = ['100', '010', '001'];
    assert.deepEqual(kinds, [
      detractor, detractor, detractor, detractor, detractor, detractor, detractor, passive, passive, promoter, promoter,
    ]);
  });

  it('counts CSAT 4–5 as satisfied and CES 5–7 as easy, with their sums and the CES sum of squares', () => {
    assert.deepEqual(answerFields(countAnswers({ nps: 8, csat: 4, ces: 6, comment: null })), {
      responses: 1,
      npsN: 1, npsPromoters: 0, npsPassives: 1, npsDetractors: 0,
      csatN: 1, csatSatisfied: 1, csatSum: 4,
      cesN: 1, cesEasy: 1, cesSum: 6, cesSumSq: 36,
    });
    assert.equal(countAnswers({ ...noAnswers, csat: 3 }).csatSatisfied, 0);
    assert.equal(countAnswers({ ...noAnswers, ces: 4 }).cesEasy, 0);
    assert.equal(countAnswers({ ...noAnswers, ces: 5 }).cesEasy, 1);
  });

  it('counts a response for any single rating or a non-empty comment, and none for blanks', () => {
    assert.equal(countAnswers({ ...noAnswers, nps: 0 }).responses, 1);
    assert.equal(countAnswers({ ...noAnswers, csat: 1 }).responses, 1);
    assert.equal(countAnswers({ ...noAnswers, ces: 1 }).responses, 1);
    assert.equal(countAnswers({ ...noAnswers, comment: 'Quick and kind' }).responses, 1);
    assert.equal(countAnswers({ ...noAnswers, comment: '  \n ' }).responses, 0);
    assert.equal(countAnswers({ ...noAnswers, comment: '' }).responses, 0);
    assert.deepEqual(countAnswers(noAnswers), emptyCounts());
  });

  it('rejects ratings outside their scales or not whole', () => {
    for (const bad of [{ nps: 11 }, { nps: -1 }, { csat: 0 }, { csat: 6 }, { ces: 0 }, { ces: 8 }, { ces: 5.5 }]) {
      assert.throws(() => countAnswers({ ...noAnswers, ...bad }), RangeError, JSON.stringify(bad));
    }
  });

  it('moves the counts of a changed answer by new − old, so nothing is counted twice or lost (property)', () => {
    fc.assert(fc.property(recordsArb, answersArb, answersArb, (others, before, after) => {
      const rollup = addCounts(countRecords(others), countAnswers(before));
      const moved = addCounts(rollup, subtractCounts(countAnswers(after), countAnswers(before)));
      assert.deepEqual(moved, addCounts(countRecords(others), countAnswers(after)));
    }));
  });
});

describe('counting an interaction', () => {
  it('counts the interaction, its first contact resolution and both durations in seconds', () => {
    // The contract's example trigger: opened 13:41:10, first response 13:43:55 (165 s), closed 14:03:00 (1310 s).
    const counts = countInteraction({
      contacts: 1,
      openedAt: Date.parse('2026-11-20T13:41:10Z'),
      firstResponseAt: Date.parse('2026-11-20T13:43:55Z'),
      closedAt,
    });
    assert.deepEqual(counts, {
      ...emptyCounts(),
      interactions: 1, fcrN: 1, fcrFirst: 1,
      firstResponse: sketchFromBuckets([[bucketOf(165), 1]]),
      resolution: sketchFromBuckets([[bucketOf(1310), 1]]),
    });
  });

  it('counts FCR only when contacts is given, and first contact only when it is 1', () => {
    const times = { openedAt: null, firstResponseAt: null, closedAt };
    assert.deepEqual([null, 1, 2, 5].map((contacts) => {
      const { fcrN, fcrFirst } = countInteraction({ ...times, contacts });
      return [fcrN, fcrFirst];
    }), [[0, 0], [1, 1], [1, 0], [1, 0]]);
  });

  it('needs opened_at for any duration, and first_response_at too for the first response time', () => {
    const noOpen = countInteraction({ contacts: null, openedAt: null, firstResponseAt: closedAt - 1000, closedAt });
    assert.deepEqual(noOpen, { ...emptyCounts(), interactions: 1 });
    const noFirst = countInteraction({ contacts: null, openedAt: closedAt - 90_500, firstResponseAt: null, closedAt });
    assert.equal(noFirst.firstResponse.buckets.size, 0);
    assert.deepEqual(noFirst.resolution, sketchFromBuckets([[bucketOf(90.5), 1]]));
  });

  it('counts a zero-second resolution in the zero bucket', () => {
    const counts = countInteraction({ contacts: 1, openedAt: closedAt, firstResponseAt: closedAt, closedAt });
    assert.deepEqual(counts.resolution, sketchFromBuckets([[bucketOf(0), 1]]));
    assert.deepEqual(counts.firstResponse, sketchFromBuckets([[bucketOf(0), 1]]));
  });

  it('rejects contacts below 1 and times out of order', () => {
    assert.throws(() => countInteraction({ contacts: 0, openedAt: null, firstResponseAt: null, closedAt }), RangeError);
    assert.throws(() => countInteraction({ contacts: 1.5, openedAt: null, firstResponseAt: null, closedAt }), RangeError);
    assert.throws(() => countInteraction({ contacts: null, openedAt: closedAt + 1, firstResponseAt: null, closedAt }), RangeError);
    assert.throws(() => countInteraction({ contacts: null, openedAt: closedAt - 10, firstResponseAt: closedAt - 20, closedAt }), RangeError);
  });

  it('counts a sent survey on its own', () => {
    assert.deepEqual(countSurveySent(), { ...emptyCounts(), surveysSent: 1 });
  });
});

describe('merging counts', () => {
  it('adds field by field, including the duration sketches', () => {
    const a = countInteraction({ contacts: 1, openedAt: closedAt - 60_000, firstResponseAt: null, closedAt });
    const b = addCounts(countAnswers({ nps: 10, csat: 5, ces: 7, comment: null }), countSurveySent());
    const sum = addCounts(a, addCounts(a, b));
    assert.equal(sum.interactions, 2);
    assert.equal(sum.fcrFirst, 2);
    assert.equal(sum.surveysSent, 1);
    assert.equal(sum.cesSumSq, 49);
    assert.deepEqual(sum.resolution, sketchFromBuckets([[bucketOf(60), 2]]));
  });

  it('treats the empty counts as neutral and leaves its inputs untouched', () => {
    const a = countInteraction({ contacts: 2, openedAt: closedAt - 5000, firstResponseAt: closedAt - 4000, closedAt });
    const copy = structuredClone(a);
    assert.deepEqual(addCounts(a, emptyCounts()), a);
    assert.deepEqual(addCounts(emptyCounts(), a), a);
    subtractCounts(a, a);
    assert.deepEqual(a, copy);
  });

  it('gives the same counts whichever way two groups are merged (property)', () => {
    fc.assert(fc.property(recordsArb, recordsArb, (a, b) => {
      assert.deepEqual(addCounts(countRecords(a), countRecords(b)), countRecords([...a, ...b]));
      assert.deepEqual(addCounts(countRecords(a), countRecords(b)), addCounts(countRecords(b), countRecords(a)));
    }));
  });

  it('gets a back from (a + b) − b (property)', () => {
    fc.assert(fc.property(recordsArb, recordsArb, (a, b) => {
      const countsA = countRecords(a);
      const countsB = countRecords(b);
      assert.deepEqual(subtractCounts(addCounts(countsA, countsB), countsB), countsA);
      assert.deepEqual(subtractCounts(countsA, countsA), emptyCounts());
    }));
  });
});
