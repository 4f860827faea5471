/**
 * Whether an interaction's customer gets a survey, and when. Pure: the caller loads the facts.
 * Reasons are checked in the contract's order: not_requested, unsubscribed, too_old, throttled.
 */
import { DAY_MS } from '../clock';

export type SuppressionReason = 'not_requested' | 'unsubscribed' | 'too_old' | 'throttled';

export interface SurveyPolicy {
  /** Seconds after closed_at before the email leaves (0 = at once). */
  readonly delaySeconds: number;
  /** At most one survey per customer email in this many days (0 = off). */
  readonly throttleDays: number;
  /** Triggers whose closed_at is older than this on arrival get no survey. */
  readonly maxAgeDays: number;
  /** Days a link answers after sending. */
  readonly expiryDays: number;
}

export interface SurveyFacts {
  readonly now: number;
  readonly closedAt: number;
  /** The trigger asked for a survey and named a customer email. */
  readonly requested: boolean;
  readonly unsubscribed: boolean;
}

export type SurveyDecision =
  | { readonly status: 'scheduled'; readonly sendAt: number }
  | { readonly status: 'suppressed'; readonly reason: SuppressionReason };

/** The moment a survey for this interaction would be sent. */
export function sendMoment(policy: SurveyPolicy, closedAt: number, now: number): number {
  return Math.max(now, closedAt + policy.delaySeconds * 1000);
}

/**
 * Decides everything that needs no history. A `scheduled` answer still has to pass the throttle:
 * see `throttleWindowStart`.
 */
export function decideSurvey(policy: SurveyPolicy, facts: SurveyFacts): SurveyDecision {
  if (!facts.requested) return { status: 'suppressed', reason: 'not_requested' };
  if (facts.unsubscribed) return { status: 'suppressed', reason: 'unsubscribed' };
  if (facts.closedAt < facts.now - policy.maxAgeDays * DAY_MS) return { status: 'suppressed', reason: 'too_old' };
  return { status: 'scheduled', sendAt: sendMoment(policy, facts.closedAt, facts.now) };
}

/**
 * A survey sending at `sendAt` is throttled when the customer has another survey scheduled or sent
 * after the returned instant; null when throttling is off.
 */
export function throttleWindowStart(policy: SurveyPolicy, sendAt: number): number | null {
  return policy.throttleDays === 0 ? null : sendAt - policy.throttleDays * DAY_MS;
}
