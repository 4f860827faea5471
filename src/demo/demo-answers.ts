/**
 * How a surveyed customer answers. Each interaction gets one latent satisfaction (normal, higher is
 * happier) built from the channel, team, agent skill, speed and repeat contacts; CSAT, CES and NPS are
 * read off it with their own noise, so the three agree on the whole but not answer by answer.
 */
import { USER_AGENTS } from './catalog';
import { drawComment, moodOf, type DemoLocale, type Mood } from './comments';
import { clamp, logNormal, normal, pick, type Random } from './random';

/** Ratings are left out now and then: CSAT rarely (it is the question in the email), NPS and CES more often. */
const SKIP = { csat: 0.04, ces: 0.15, nps: 0.1 } as const;

/** Unhappy customers write more often, which is what makes verbatims worth reading. */
const COMMENT_CHANCE: Readonly<Record<Mood, number>> = { happy: 0.33, neutral: 0.42, unhappy: 0.62 };

/** CSAT cut points on the latent scale: below the first is 1, above the last is 5. */
const CSAT_CUTS = [-1.6, -1.0, -0.3, 0.85];

/** One response's answers, as stored. */
export interface DemoAnswers {
  readonly csat: number | null;
  readonly ces: number | null;
  readonly nps: number | null;
  readonly comment: string | null;
}

/** What shapes an interaction's answers. */
export interface AnswerContext {
  /** Latent satisfaction (about N(0.8, 1.1) overall). */
  readonly satisfaction: number;
  /** How much harder than average the channel made it (lowers CES). */
  readonly effort: number;
  readonly locale: DemoLocale;
  readonly agentFirstName: string;
}

/** Whether a surveyed customer answers at all: ~30 % overall, more on chat-like channels and at either extreme. */
export function willAnswer(rng: Random, satisfaction: number, responsiveness: number): boolean {
  const extreme = Math.abs(satisfaction - 0.8) > 1.4 ? 1.2 : 0.93;
  return rng() < 0.3 * responsiveness * extreme;
}

/** The ratings and maybe a comment; never all empty (an empty response is not stored). */
export function drawAnswers(rng: Random, ctx: AnswerContext): DemoAnswers {
  const z = ctx.satisfaction;
  let csat: number | null = 1 + CSAT_CUTS.filter((cut) => z > cut).length;
  let ces: number | null = clamp(Math.round(5.5 + 1.2 * (0.8 * (z - 0.8) + 0.6 * normal(rng) - ctx.effort)), 1, 7);
  let nps: number | null = clamp(Math.round(8.4 + 1.9 * (0.8 * (z - 0.8) + 0.6 * normal(rng))), 0, 10);
  const mood = moodOf({ csat, nps, ces });
  if (rng() < SKIP.csat) csat = null;
  if (rng() < SKIP.ces) ces = null;
  if (rng() < SKIP.nps) nps = null;
  const comment = rng() < COMMENT_CHANCE[mood] ? drawComment(rng, ctx.locale, mood, ctx.agentFirstName) : null;
  if (csat === null && ces === null && nps === null && comment === null) csat = 1 + CSAT_CUTS.filter((cut) => z > cut).length;
  return { csat, ces, nps, comment };
}

/** Seconds from the email to the first answer: most within the hour, a long tail over days. */
export function answerDelaySeconds(rng: Random): number {
  return Math.max(20, logNormal(rng, 40 * 60, 1.5));
}

/** The browser the customer answered from. */
export function userAgent(rng: Random): string {
  return pick(rng, USER_AGENTS);
}
