/**
 * A sent survey's life as the running system would have recorded it: sent seconds after its send
 * moment, expired once its window closed (the upkeep job notices within a minute), and maybe answered,
 * sometimes changed a little later. Nothing happens after `now`: answers that would come later have not
 * come in yet.
 */
import type { DemoLocale } from './comments';
import { answerDelaySeconds, drawAnswers, userAgent, willAnswer, type DemoAnswers } from './demo-answers';
import { logNormal, type Random } from './random';

/** A stored response. */
export interface DemoResponse extends DemoAnswers {
  readonly locale: DemoLocale;
  readonly userAgent: string;
  readonly firstSubmittedAt: number;
  readonly updatedAt: number;
}

/** A survey that was emailed. */
export interface SentSurvey {
  readonly status: 'sent' | 'expired';
  readonly sendAt: number;
  readonly sentAt: number;
  readonly expiresAt: number;
  readonly updatedAt: number;
  readonly response: DemoResponse | null;
}

/** What decides how a sent survey goes. */
export interface SentSurveyInput {
  /** When the policy sends it (closed_at + delay, at most now). */
  readonly sendAt: number;
  readonly now: number;
  readonly expiryMs: number;
  /** The interaction's latent satisfaction. */
  readonly satisfaction: number;
  /** The channel's relative response chance and extra effort. */
  readonly responsiveness: number;
  readonly effort: number;
  readonly locale: DemoLocale;
  readonly agentFirstName: string;
}

/** How one sent survey went, up to now. */
export function sentSurvey(rng: Random, input: SentSurveyInput): SentSurvey {
  const { sendAt, now } = input;
  // The outbox worker picks an email up within seconds of its due time.
  const sentAt = Math.min(sendAt + 1000 + Math.floor(rng() * 9000), now);
  const expiresAt = sentAt + input.expiryMs;
  const expired = expiresAt <= now;
  let response: DemoResponse | null = null;
  if (willAnswer(rng, input.satisfaction, input.responsiveness)) {
    const firstSubmittedAt = sentAt + Math.round(answerDelaySeconds(rng) * 1000);
    const changedAt = rng() < 0.07 ? firstSubmittedAt + Math.round(logNormal(rng, 15 * 60, 1) * 1000) : firstSubmittedAt;
    const given = drawAnswers(rng, { satisfaction: input.satisfaction, effort: input.effort, locale: input.locale, agentFirstName: input.agentFirstName });
    const browser = userAgent(rng);
    // An answer due after now (or after expiry) has not come in (and will not).
    if (firstSubmittedAt < Math.min(expiresAt, now)) {
      response = { ...given, locale: input.locale, userAgent: browser, firstSubmittedAt, updatedAt: Math.min(changedAt, expiresAt - 1, now) };
    }
  }
  const updatedAt = expired ? Math.min(expiresAt + Math.floor(rng() * 60_000), now) : sentAt;
  return { status: expired ? 'expired' : 'sent', sendAt, sentAt, expiresAt, updatedAt, response };
}
