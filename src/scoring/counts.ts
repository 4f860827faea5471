/**
 * The counts every KPI of one group is computed from (CONTRACT §3, GET /api/v1/kpis). They add and subtract
 * field by field, so rollups kept per day and cell merge into any grouping, and a changed answer moves them by
 * "new counts − old counts" without counting anything twice. Sums of squares let CES intervals merge too.
 */
import { bucketOf, emptySketch, mergeSketches, sketchFromBuckets, subtractSketches, type TimeSketch } from './time-sketch';

/** The answer ranges of the rating questions (CONTRACT §3). */
export const RATING_SCALES = {
  nps: { min: 0, max: 10 },
  csat: { min: 1, max: 5 },
  ces: { min: 1, max: 7 },
} as const;

/** The mergeable counts of one group. */
export interface KpiCounts {
  /** Interactions closed in the group. */
  readonly interactions: number;
  /** Surveys whose email was accepted by the mail server (or captured). */
  readonly surveysSent: number;
  /** Surveys with at least one rating or a non-empty comment. */
  readonly responses: number;
  /** NPS answers. */
  readonly npsN: number;
  /** NPS answers of 9–10. */
  readonly npsPromoters: number;
  /** NPS answers of 7–8. */
  readonly npsPassives: number;
  /** NPS answers of 0–6. */
  readonly npsDetractors: number;
  /** CSAT answers. */
  readonly csatN: number;
  /** CSAT answers of 4–5. */
  readonly csatSatisfied: number;
  /** Sum of the CSAT answers. */
  readonly csatSum: number;
  /** CES answers. */
  readonly cesN: number;
  /** CES answers of 5–7. */
  readonly cesEasy: number;
  /** Sum of the CES answers. */
  readonly cesSum: number;
  /** Sum of the squared CES answers (for the sample standard deviation). */
  readonly cesSumSq: number;
  /** Interactions that carry `contacts`. */
  readonly fcrN: number;
  /** Interactions resolved on the first contact (`contacts` = 1). */
  readonly fcrFirst: number;
  /** Seconds from `opened_at` to `first_response_at`. */
  readonly firstResponse: TimeSketch;
  /** Seconds from `opened_at` to `closed_at`. */
  readonly resolution: TimeSketch;
}

/** One survey's answers as stored. */
export interface AnswerInput {
  /** NPS answer 0–10, or null when not answered. */
  readonly nps: number | null;
  /** CSAT answer 1–5, or null when not answered. */
  readonly csat: number | null;
  /** CES answer 1–7, or null when not answered. */
  readonly ces: number | null;
  /** Free-text comment, or null. */
  readonly comment: string | null;
}

/** One interaction's timing and contacts (epoch milliseconds). */
export interface InteractionInput {
  /** Contacts it took (1 = resolved on first contact), or null when the integration did not say. */
  readonly contacts: number | null;
  /** When it was opened, or null. */
  readonly openedAt: number | null;
  /** When the customer first got an answer, or null. */
  readonly firstResponseAt: number | null;
  /** When it was closed (always known: the trigger requires it). */
  readonly closedAt: number;
}

/** Counts of nothing. */
export function emptyCounts(): KpiCounts {
  return {
    interactions: 0, surveysSent: 0, responses: 0,
    npsN: 0, npsPromoters: 0, npsPassives: 0, npsDetractors: 0,
    csatN: 0, csatSatisfied: 0, csatSum: 0,
    cesN: 0, cesEasy: 0, cesSum: 0, cesSumSq: 0,
    fcrN: 0, fcrFirst: 0,
    firstResponse: emptySketch(), resolution: emptySketch(),
  };
}

/** The counts of both groups together. */
export function addCounts(a: KpiCounts, b: KpiCounts): KpiCounts {
  return combine(a, b, 1);
}

/** The counts of `a` with those of `b` taken out (fields may go negative when `b` is not part of `a`). */
export function subtractCounts(a: KpiCounts, b: KpiCounts): KpiCounts {
  return combine(a, b, -1);
}

/** What one sent survey contributes. */
export function countSurveySent(): KpiCounts {
  return { ...emptyCounts(), surveysSent: 1 };
}

/** What one survey's answers contribute. Throws RangeError for a rating outside its scale. */
export function countAnswers({ nps, csat, ces, comment }: AnswerInput): KpiCounts {
  checkRating('nps', nps);
  checkRating('csat', csat);
  checkRating('ces', ces);
  // Whitespace is no comment: the survey form trims it away too.
  const commented = comment !== null && comment.trim().length > 0;
  const answered = nps !== null || csat !== null || ces !== null || commented;
  return {
    ...emptyCounts(),
    responses: answered ? 1 : 0,
    npsN: nps === null ? 0 : 1,
    npsPromoters: nps !== null && nps >= 9 ? 1 : 0,
    npsPassives: nps !== null && nps >= 7 && nps <= 8 ? 1 : 0,
    npsDetractors: nps !== null && nps <= 6 ? 1 : 0,
    csatN: csat === null ? 0 : 1,
    csatSatisfied: csat !== null && csat >= 4 ? 1 : 0,
    csatSum: csat ?? 0,
    cesN: ces === null ? 0 : 1,
    cesEasy: ces !== null && ces >= 5 ? 1 : 0,
    cesSum: ces ?? 0,
    cesSumSq: ces === null ? 0 : ces * ces,
  };
}

/** What one interaction contributes. Throws RangeError for bad contacts or times out of order. */
export function countInteraction({ contacts, openedAt, firstResponseAt, closedAt }: InteractionInput): KpiCounts {
  if (contacts !== null && !(Number.isInteger(contacts) && contacts >= 1)) {
    throw new RangeError(`contacts must be an integer ≥ 1, got ${contacts}`);
  }
  const firstResponse = openedAt !== null && firstResponseAt !== null ? seconds(openedAt, firstResponseAt) : null;
  const resolution = openedAt !== null ? seconds(openedAt, closedAt) : null;
  return {
    ...emptyCounts(),
    interactions: 1,
    fcrN: contacts === null ? 0 : 1,
    fcrFirst: contacts === 1 ? 1 : 0,
    firstResponse: firstResponse === null ? emptySketch() : sketchFromBuckets([[bucketOf(firstResponse), 1]]),
    resolution: resolution === null ? emptySketch() : sketchFromBuckets([[bucketOf(resolution), 1]]),
  };
}

function seconds(fromMs: number, toMs: number): number {
  // The trigger schema guarantees opened_at ≤ first_response_at ≤ closed_at; a negative duration is a bug upstream.
  if (toMs < fromMs) throw new RangeError(`times out of order: ${toMs} is before ${fromMs}`);
  return (toMs - fromMs) / 1000;
}

function checkRating(question: keyof typeof RATING_SCALES, value: number | null): void {
  const { min, max } = RATING_SCALES[question];
  if (value !== null && !(Number.isInteger(value) && value >= min && value <= max)) {
    throw new RangeError(`${question} must be an integer ${min}–${max}, got ${value}`);
  }
}

function combine(a: KpiCounts, b: KpiCounts, sign: 1 | -1): KpiCounts {
  return {
    interactions: a.interactions + sign * b.interactions,
    surveysSent: a.surveysSent + sign * b.surveysSent,
    responses: a.responses + sign * b.responses,
    npsN: a.npsN + sign * b.npsN,
    npsPromoters: a.npsPromoters + sign * b.npsPromoters,
    npsPassives: a.npsPassives + sign * b.npsPassives,
    npsDetractors: a.npsDetractors + sign * b.npsDetractors,
    csatN: a.csatN + sign * b.csatN,
    csatSatisfied: a.csatSatisfied + sign * b.csatSatisfied,
    csatSum: a.csatSum + sign * b.csatSum,
    cesN: a.cesN + sign * b.cesN,
    cesEasy: a.cesEasy + sign * b.cesEasy,
    cesSum: a.cesSum + sign * b.cesSum,
    cesSumSq: a.cesSumSq + sign * b.cesSumSq,
    fcrN: a.fcrN + sign * b.fcrN,
    fcrFirst: a.fcrFirst + sign * b.fcrFirst,
    firstResponse: sign === 1 ? mergeSketches(a.firstResponse, b.firstResponse) : subtractSketches(a.firstResponse, b.firstResponse),
    resolution: sign === 1 ? mergeSketches(a.resolution, b.resolution) : subtractSketches(a.resolution, b.resolution),
  };
}
