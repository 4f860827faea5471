import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { addCounts, emptyCounts, scoreGroup, sketchAdd, type KpiCounts, type TimeSketch } from '../../src/scoring';
import { assertClose, assertWithinOnePercent, countRecords, exactPercentile, recordsArb } from './raw-data';

const MIN_RESPONSES = 10;

/** A sketch holding `count` copies of each value. */
function sketchOfRuns(runs: readonly [value: number, count: number][]): TimeSketch {
  return runs.reduce((sketch, [value, count]) => sketchAdd(sketch, value, count), emptyCounts().firstResponse);
}

// The counts behind the contract's example GROUP (CONTRACT §3, GET /api/v1/kpis).
const contractExample: KpiCounts = {
  interactions: 120, surveysSent: 100, responses: 41,
  npsN: 30, npsPromoters: 18, npsPassives: 7, npsDetractors: 5,
  // 40 answers summing to 176: mean 4.4.
  csatN: 40, csatSatisfied: 35, csatSum: 176,
  // 33 answers summing to 195 (mean 5.909…) with Σx² = 1196 (s² = (1196 − 195²/33)/32 = 1.3664…).
  cesN: 33, cesEasy: 28, cesSum: 195, cesSumSq: 1196,
  fcrN: 110, fcrFirst: 90,
  // 118 first responses: median rank ⌈59⌉ = 59 is the single 165; p90 rank ⌈106.2⌉ = 107 is the single 900.
  firstResponse: sketchOfRuns([[60, 58], [165, 1], [300, 47], [900, 1], [3600, 11]]),
  // 120 resolutions: median rank 60 is the single 1320; p90 rank 108 is the single 7200.
  resolution: sketchOfRuns([[600, 59], [1320, 1], [3000, 47], [7200, 1], [20_000, 12]]),
};

const round = (value: number | null, places: number): number | null => (value === null ? null : Math.round(value * 10 ** places) / 10 ** places);

describe('scoring a group', () => {
  it('reproduces the contract’s example GROUP (rounded as the contract shows it)', () => {
    const group = scoreGroup(contractExample, MIN_RESPONSES);
    assert.deepEqual(
      { interactions: group.interactions, surveys_sent: group.surveys_sent, responses: group.responses, response_rate: group.response_rate, insufficient: group.insufficient },
      { interactions: 120, surveys_sent: 100, responses: 41, response_rate: 0.41, insufficient: false },
    );
    assert.deepEqual({ ...group.nps, score: round(group.nps.score, 2), ci95: null }, { n: 30, promoters: 18, passives: 7, detractors: 5, score: 43.33, ci95: null });
    assert.deepEqual(
      { ...group.csat, score: round(group.csat.score, 2), mean: round(group.csat.mean, 2), ci95: group.csat.ci95?.map((end) => round(end, 1)) },
      { n: 40, satisfied: 35, score: 87.5, mean: 4.4, ci95: [73.9, 94.5] },
    );
    assert.deepEqual(
      { ...group.ces, score: round(group.ces.score, 2), pct_easy: round(group.ces.pct_easy, 2), ci95: group.ces.ci95?.map((end) => round(end, 1)) },
      { n: 33, easy: 28, score: 5.91, pct_easy: 84.85, ci95: [5.5, 6.3] },
    );
    assert.deepEqual({ ...group.fcr, rate: round(group.fcr.rate, 2) }, { n: 110, first_contact: 90, rate: 81.82 });
    assert.equal(group.first_response_seconds.n, 118);
    assertWithinOnePercent(group.first_response_seconds.median, 165, 'first response median');
    assertWithinOnePercent(group.first_response_seconds.p90, 900, 'first response p90');
    assert.equal(group.resolution_seconds.n, 120);
    assertWithinOnePercent(group.resolution_seconds.median, 1320, 'resolution median');
    assertWithinOnePercent(group.resolution_seconds.p90, 7200, 'resolution p90');
  });

  it('follows the contract’s NPS interval definition, not its rounded example, for 18/7/5 of 30', () => {
    // "ci95 = score ± 196·sqrt((p⁺ + p⁻ − (p⁺ − p⁻)²)/n)": 43.333 ± 196·sqrt(521/27000) = 43.333 ± 27.227.
    // The example's [25.1, 61.5] would need a half-width of 18.2, which no reading of that formula gives.
    const { ci95 } = scoreGroup(contractExample, MIN_RESPONSES).nps;
    assert.deepEqual(ci95?.map((end) => round(end, 1)), [16.1, 70.6]);
  });

  it('carries full precision: 13/30 is 43.333…, not 43.33', () => {
    const group = scoreGroup(contractExample, MIN_RESPONSES);
    assert.equal(group.nps.score, 100 * (13 / 30));
    assert.equal(group.ces.score, 195 / 33);
    assert.equal(group.fcr.rate, 100 * (90 / 110));
  });

  it('has exactly the contract’s GROUP fields, in its order, minus key, and survives JSON', () => {
    const group = scoreGroup(contractExample, MIN_RESPONSES);
    assert.deepEqual(Object.keys(group), [
      'interactions', 'surveys_sent', 'responses', 'response_rate', 'insufficient',
      'nps', 'csat', 'ces', 'fcr', 'first_response_seconds', 'resolution_seconds',
    ]);
    assert.deepEqual(Object.keys(group.nps), ['n', 'promoters', 'passives', 'detractors', 'score', 'ci95']);
    assert.deepEqual(Object.keys(group.csat), ['n', 'satisfied', 'score', 'mean', 'ci95']);
    assert.deepEqual(Object.keys(group.ces), ['n', 'easy', 'score', 'pct_easy', 'ci95']);
    assert.deepEqual(Object.keys(group.fcr), ['n', 'first_contact', 'rate']);
    assert.deepEqual(Object.keys(group.first_response_seconds), ['n', 'median', 'p90']);
    assert.deepEqual(JSON.parse(JSON.stringify(group)), group);
  });

  it('gives null for every non-count value of a metric with n = 0, and no response rate when nothing was sent', () => {
    assert.deepEqual(scoreGroup({ ...emptyCounts(), interactions: 3 }, MIN_RESPONSES), {
      interactions: 3, surveys_sent: 0, responses: 0, response_rate: null, insufficient: true,
      nps: { n: 0, promoters: 0, passives: 0, detractors: 0, score: null, ci95: null },
      csat: { n: 0, satisfied: 0, score: null, mean: null, ci95: null },
      ces: { n: 0, easy: 0, score: null, pct_easy: null, ci95: null },
      fcr: { n: 0, first_contact: 0, rate: null },
      first_response_seconds: { n: 0, median: null, p90: null },
      resolution_seconds: { n: 0, median: null, p90: null },
    });
  });

  it('gives a response rate of 0 when surveys went out and nobody answered', () => {
    assert.equal(scoreGroup({ ...emptyCounts(), surveysSent: 4 }, MIN_RESPONSES).response_rate, 0);
  });

  it('is insufficient below min_responses and sufficient at it', () => {
    const insufficient = (responses: number, min: number) => scoreGroup({ ...emptyCounts(), surveysSent: 20, responses }, min).insufficient;
    assert.deepEqual([9, 10, 11].map((responses) => insufficient(responses, 10)), [true, false, false]);
    assert.equal(insufficient(0, 0), false);
    assert.equal(insufficient(0, 1), true);
  });

  it('scores a group of promoters only as 100 [100, 100] and of detractors only as −100 [−100, −100]', () => {
    const promoters = scoreGroup({ ...emptyCounts(), npsN: 12, npsPromoters: 12 }, MIN_RESPONSES).nps;
    assert.deepEqual([promoters.score, promoters.ci95], [100, [100, 100]]);
    const detractors = scoreGroup({ ...emptyCounts(), npsN: 12, npsDetractors: 12 }, MIN_RESPONSES).nps;
    assert.deepEqual([detractors.score, detractors.ci95], [-100, [-100, -100]]);
  });

  it('gives one answer a CSAT Wilson interval but no CES interval', () => {
    const group = scoreGroup({ ...emptyCounts(), csatN: 1, csatSatisfied: 1, csatSum: 5, cesN: 1, cesEasy: 1, cesSum: 6, cesSumSq: 36 }, MIN_RESPONSES);
    assert.deepEqual({ ...group.csat, ci95: group.csat.ci95?.map((end) => round(end, 4)) }, { n: 1, satisfied: 1, score: 100, mean: 5, ci95: [20.6543, 100] });
    assert.deepEqual(group.ces, { n: 1, easy: 1, score: 6, pct_easy: 100, ci95: null });
  });

  it('gives two CES answers the plain interval, even where it reaches past the 1–7 scale', () => {
    // 3 and 7: mean 5, s² = (58 − 100/2)/1 = 8, s/√2 = 2, ± 3.92 → [1.08, 8.92].
    const { ces } = scoreGroup({ ...emptyCounts(), cesN: 2, cesEasy: 1, cesSum: 10, cesSumSq: 58 }, MIN_RESPONSES);
    assert.equal(ces.score, 5);
    assert.equal(ces.pct_easy, 50);
    assertClose(ces.ci95?.[0], 5 - 3.92);
    assertClose(ces.ci95?.[1], 5 + 3.92);
  });
});

describe('scoring raw answers (properties)', () => {
  it('keeps every score inside its interval, and the NPS and CSAT intervals inside their scales', () => {
    fc.assert(fc.property(recordsArb, (records) => {
      const { nps, csat, ces } = scoreGroup(countRecords(records), MIN_RESPONSES);
      const inside = (score: number | null, ci: readonly [number, number] | null, low: number, high: number) => {
        if (ci === null || score === null) return;
        assert.ok(low <= ci[0] && ci[0] <= score && score <= ci[1] && ci[1] <= high, `${score} in [${ci.join(', ')}] within [${low}, ${high}]`);
      };
      inside(nps.score, nps.ci95, -100, 100);
      inside(csat.score, csat.ci95, 0, 100);
      inside(ces.score, ces.ci95, -Infinity, Infinity);
    }));
  });

  it('scores two merged groups exactly as the union of their raw answers', () => {
    fc.assert(fc.property(recordsArb, recordsArb, fc.integer({ min: 0, max: 30 }), (a, b, minResponses) => {
      assert.deepEqual(scoreGroup(addCounts(countRecords(a), countRecords(b)), minResponses), scoreGroup(countRecords([...a, ...b]), minResponses));
    }));
  });

  it('agrees with the definitions computed directly from the raw answers', () => {
    fc.assert(fc.property(recordsArb, (records) => {
      const group = scoreGroup(countRecords(records), MIN_RESPONSES);
      const answers = records.flatMap((r) => (r.answers === null ? [] : [r.answers]));
      const nps = answers.flatMap((a) => (a.nps === null ? [] : [a.nps]));
      const csat = answers.flatMap((a) => (a.csat === null ? [] : [a.csat]));
      const ces = answers.flatMap((a) => (a.ces === null ? [] : [a.ces]));
      const contacts = records.flatMap((r) => (r.interaction.contacts === null ? [] : [r.interaction.contacts]));
      const firstResponse = records.flatMap(({ interaction: i }) => (i.openedAt === null || i.firstResponseAt === null ? [] : [(i.firstResponseAt - i.openedAt) / 1000]));
      const resolution = records.flatMap(({ interaction: i }) => (i.openedAt === null ? [] : [(i.closedAt - i.openedAt) / 1000]));
      const share = (hits: number, n: number) => (n === 0 ? null : (100 * hits) / n);
      const mean = (values: number[]) => (values.length === 0 ? null : values.reduce((s, v) => s + v, 0) / values.length);
      const near = (actual: number | null, expected: number | null, what: string) => {
        if (expected === null) assert.equal(actual, null, what);
        else assertClose(actual, expected, 1e-9, what);
      };

      assert.equal(group.interactions, records.length);
      assert.equal(group.surveys_sent, records.filter((r) => r.sent).length);
      assert.equal(group.responses, answers.filter((a) => a.nps !== null || a.csat !== null || a.ces !== null || (a.comment ?? '').trim() !== '').length);
      assert.deepEqual(
        [group.nps.n, group.nps.promoters, group.nps.passives, group.nps.detractors],
        [nps.length, nps.filter((v) => v >= 9).length, nps.filter((v) => v === 7 || v === 8).length, nps.filter((v) => v <= 6).length],
      );
      assert.deepEqual([group.csat.n, group.csat.satisfied, group.ces.n, group.ces.easy], [csat.length, csat.filter((v) => v >= 4).length, ces.length, ces.filter((v) => v >= 5).length]);
      near(group.nps.score, share(nps.filter((v) => v >= 9).length - nps.filter((v) => v <= 6).length, nps.length), 'nps');
      near(group.csat.score, share(csat.filter((v) => v >= 4).length, csat.length), 'csat');
      near(group.csat.mean, mean(csat), 'csat mean');
      near(group.ces.score, mean(ces), 'ces');
      near(group.ces.pct_easy, share(ces.filter((v) => v >= 5).length, ces.length), 'ces easy');
      near(group.fcr.rate, share(contacts.filter((c) => c === 1).length, contacts.length), 'fcr');
      assert.equal(group.first_response_seconds.n, firstResponse.length);
      assertWithinOnePercent(group.first_response_seconds.median, exactPercentile(firstResponse, 50), 'first response median');
      assertWithinOnePercent(group.first_response_seconds.p90, exactPercentile(firstResponse, 90), 'first response p90');
      assert.equal(group.resolution_seconds.n, resolution.length);
      assertWithinOnePercent(group.resolution_seconds.median, exactPercentile(resolution, 50), 'resolution median');
      assertWithinOnePercent(group.resolution_seconds.p90, exactPercentile(resolution, 90), 'resolution p90');
    }));
  });
});
