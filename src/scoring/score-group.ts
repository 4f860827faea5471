/**
 * Turns one group's counts into the contract's GROUP object without its `key` (CONTRACT §3, GET /api/v1/kpis),
 * at full precision: rounding is left to whoever displays the numbers.
 */
import type { KpiCounts } from './counts';
import { meanInterval, npsInterval, npsScore, wilsonInterval, type Interval } from './intervals';
import { sketchCount, sketchQuantile, type TimeSketch } from './time-sketch';

/** The NPS block of a group. */
export interface NpsScores {
  /** NPS answers. */
  readonly n: number;
  /** Answers of 9–10. */
  readonly promoters: number;
  /** Answers of 7–8. */
  readonly passives: number;
  /** Answers of 0–6. */
  readonly detractors: number;
  /** 100·(P−D)/n, or null when n = 0. */
  readonly score: number | null;
  /** The contract's NPS interval clipped to [−100, 100], or null when n = 0. */
  readonly ci95: Interval | null;
}

/** The CSAT block of a group. */
export interface CsatScores {
  /** CSAT answers. */
  readonly n: number;
  /** Answers of 4–5. */
  readonly satisfied: number;
  /** 100·satisfied/n, or null when n = 0. */
  readonly score: number | null;
  /** Mean answer (1–5), or null when n = 0. */
  readonly mean: number | null;
  /** Wilson interval of satisfied/n times 100, or null when n = 0. */
  readonly ci95: Interval | null;
}

/** The CES block of a group. */
export interface CesScores {
  /** CES answers. */
  readonly n: number;
  /** Answers of 5–7. */
  readonly easy: number;
  /** Mean answer (1–7), or null when n = 0. */
  readonly score: number | null;
  /** 100·easy/n, or null when n = 0. */
  readonly pct_easy: number | null;
  /** mean ± 1.96·s/√n (not clipped: it may reach past 1–7 on few answers), or null when n < 2. */
  readonly ci95: Interval | null;
}

/** The first-contact-resolution block of a group. */
export interface FcrScores {
  /** Interactions that carry `contacts`. */
  readonly n: number;
  /** Those with `contacts` = 1. */
  readonly first_contact: number;
  /** 100·first_contact/n, or null when n = 0. */
  readonly rate: number | null;
}

/** A duration block of a group, in seconds. */
export interface TimeScores {
  /** Durations known. */
  readonly n: number;
  /** Nearest-rank median within 1%, or null when n = 0. */
  readonly median: number | null;
  /** Nearest-rank 90th percentile within 1%, or null when n = 0. */
  readonly p90: number | null;
}

/** The contract's GROUP object without `key`. */
export interface KpiGroupScores {
  /** Interactions closed in the group. */
  readonly interactions: number;
  /** Surveys accepted by the mail server (or captured). */
  readonly surveys_sent: number;
  /** Surveys with at least one rating or a non-empty comment. */
  readonly responses: number;
  /** responses / surveys_sent, or null when nothing was sent. */
  readonly response_rate: number | null;
  /** responses < min_responses: too few to rank. */
  readonly insufficient: boolean;
  /** Net Promoter Score. */
  readonly nps: NpsScores;
  /** Customer satisfaction. */
  readonly csat: CsatScores;
  /** Customer effort (CES 2.0, 1–7). */
  readonly ces: CesScores;
  /** First contact resolution. */
  readonly fcr: FcrScores;
  /** opened_at → first_response_at. */
  readonly first_response_seconds: TimeScores;
  /** opened_at → closed_at. */
  readonly resolution_seconds: TimeScores;
}

/** A group's counts without its duration sketches: what the rating and rate scores need. */
export type KpiNumbers = Omit<KpiCounts, 'firstResponse' | 'resolution'>;

/** The group scores but the two duration blocks, whose percentiles come from the group's sketches. */
export type KpiCountScores = Omit<KpiGroupScores, 'first_response_seconds' | 'resolution_seconds'>;

/** Scores one group's counts; `minResponses` is KPI_MIN_RESPONSES. */
export function scoreGroup(counts: KpiCounts, minResponses: number): KpiGroupScores {
  return { ...scoreCounts(counts, minResponses), first_response_seconds: scoreTimes(counts.firstResponse), resolution_seconds: scoreTimes(counts.resolution) };
}

/**
 * Every score of a group but the durations: for callers that hold the duration percentiles in another
 * form (the KPI rollups fold packed sketches), so they need not build empty sketches per group.
 */
export function scoreCounts(counts: KpiNumbers, minResponses: number): KpiCountScores {
  const { csatN, cesN, fcrN } = counts;
  const csatInterval = wilsonInterval(counts.csatSatisfied, csatN);
  return {
    interactions: counts.interactions,
    surveys_sent: counts.surveysSent,
    responses: counts.responses,
    response_rate: counts.surveysSent === 0 ? null : counts.responses / counts.surveysSent,
    insufficient: counts.responses < minResponses,
    nps: {
      n: counts.npsN,
      promoters: counts.npsPromoters,
      passives: counts.npsPassives,
      detractors: counts.npsDetractors,
      score: npsScore(counts.npsPromoters, counts.npsDetractors, counts.npsN),
      ci95: npsInterval(counts.npsPromoters, counts.npsDetractors, counts.npsN),
    },
    csat: {
      n: csatN,
      satisfied: counts.csatSatisfied,
      // 100·(s/n) rather than (100·s)/n: the same rounding as the interval's ends, so the score stays inside it.
      score: csatN === 0 ? null : 100 * (counts.csatSatisfied / csatN),
      mean: csatN === 0 ? null : counts.csatSum / csatN,
      ci95: csatInterval === null ? null : [100 * csatInterval[0], 100 * csatInterval[1]],
    },
    ces: {
      n: cesN,
      easy: counts.cesEasy,
      score: cesN === 0 ? null : counts.cesSum / cesN,
      pct_easy: cesN === 0 ? null : 100 * (counts.cesEasy / cesN),
      ci95: meanInterval(counts.cesSum, counts.cesSumSq, cesN),
    },
    fcr: {
      n: fcrN,
      first_contact: counts.fcrFirst,
      rate: fcrN === 0 ? null : 100 * (counts.fcrFirst / fcrN),
    },
  };
}

function scoreTimes(sketch: TimeSketch): TimeScores {
  return { n: sketchCount(sketch), median: sketchQuantile(sketch, 0.5), p90: sketchQuantile(sketch, 0.9) };
}
