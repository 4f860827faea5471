/**
 * The surveys side of the outbox: at send time, re-checks each survey (still scheduled, customer still
 * subscribed, not throttled by a survey sent meanwhile, not past expiry), issues its token and renders the
 * email; afterwards records sent, failed and cancelled surveys (a sent one counts in the KPI rollups in
 * the same transaction). Plugged into the mail domain's worker.
 */
import type { Knex } from 'knex';
import { DAY_MS } from '../clock';
import type { Db } from '../db/knex';
import { chooseLocale } from '../i18n/locale';
import { addSentSurveysToRollups } from '../kpis';
import type { ClaimedEmail } from '../mail/outbox-repository';
import type { Composition, DeliveryOutcome, OutboxHandler } from '../mail/outbox-worker';
import { mailFromAddress, renderSurveyEmail } from './render-survey-email';
import type { SurveySettings, SurveySettingsSource } from './survey-settings';
import { issueTokens } from './token-repository';

export interface SurveyMailerDeps {
  readonly db: Db;
  readonly settings: SurveySettingsSource;
  readonly baseUrl: string;
  readonly mailFrom: string;
}

export interface SendContext {
  readonly outboxId: string;
  readonly surveyId: string;
  readonly status: string;
  readonly sendAt: number;
  readonly surveyLocale: string | null;
  readonly customerId: number | null;
  readonly email: string | null;
  readonly name: string | null;
  readonly customerLocale: string | null;
  readonly unsubscribed: boolean;
}

async function loadContexts(db: Db, ids: readonly string[]): Promise<SendContext[]> {
  const rows = (await db('outbox_messages as o')
    .join('surveys as s', 's.id', 'o.survey_id')
    .leftJoin('customers as c', 'c.id', 's.customer_id')
    .whereIn('o.id', ids)
    .select(
      'o.id as outbox_id',
      's.id as survey_id',
      's.status',
      's.send_at',
      's.locale as survey_locale',
      's.customer_id',
      'c.email',
      'c.name',
      'c.locale as customer_locale',
      'c.unsubscribed_at',
    )) as {
    outbox_id: string;
    survey_id: string;
    status: string;
    send_at: number | null;
    survey_locale: string | null;
    customer_id: number | null;
    email: string | null;
    name: string | null;
    customer_locale: string | null;
    unsubscribed_at: number | null;
  }[];
  return rows.map((r) => ({
    outboxId: r.outbox_id,
    surveyId: r.survey_id,
    status: r.status,
    sendAt: Number(r.send_at ?? 0),
    surveyLocale: r.survey_locale,
    customerId: r.customer_id === null ? null : Number(r.customer_id),
    email: r.email,
    name: r.name,
    customerLocale: r.customer_locale,
    unsubscribed: r.unsubscribed_at != null,
  }));
}

/** Customers who were sent another survey after `since`, not counting the surveys being sent now. */
async function recentlySurveyed(db: Db, contexts: readonly SendContext[], since: number): Promise<Set<number>> {
  const customerIds = [...new Set(contexts.flatMap((c) => (c.customerId === null ? [] : [c.customerId])))];
  if (customerIds.length === 0) return new Set();
  const rows = (await db('surveys')
    .whereIn('customer_id', customerIds)
    .whereNotIn('id', contexts.map((c) => c.surveyId))
    .where('sent_at', '>', since)
    .distinct('customer_id')) as { customer_id: number }[];
  return new Set(rows.map((r) => Number(r.customer_id)));
}

/** Why a survey must not be sent now, or null. Pure. */
export function sendTimeObstacle(c: SendContext, settings: SurveySettings, now: number, throttled: ReadonlySet<number>): string | null {
  if (c.status !== 'scheduled') return `survey_${c.status}`;
  if (c.email === null) return 'no_email';
  if (c.unsubscribed) return 'unsubscribed';
  if (now > c.sendAt + settings.policy.expiryDays * DAY_MS) return 'expired';
  if (c.customerId !== null && throttled.has(c.customerId)) return 'throttled';
  return null;
}

export function surveyOutboxHandler(deps: SurveyMailerDeps): OutboxHandler {
  const fromAddress = mailFromAddress(deps.mailFrom);
  return {
    async compose(claimed: readonly ClaimedEmail[], now: number): Promise<Map<string, Composition>> {
      const settings = await deps.settings.current();
      const contexts = await loadContexts(deps.db, claimed.map((c) => c.id));
      const throttleDays = settings.policy.throttleDays;
      const throttled = throttleDays === 0 ? new Set<number>() : await recentlySurveyed(deps.db, contexts, now - throttleDays * DAY_MS);
      const out = new Map<string, Composition>();
      const sendable: SendContext[] = [];
      for (const c of contexts) {
        const obstacle = sendTimeObstacle(c, settings, now, throttled);
        if (obstacle) out.set(c.outboxId, { kind: 'cancel', reason: obstacle });
        else {
          sendable.push(c);
          // Two surveys for one customer in one batch: the first one throttles the rest.
          if (throttleDays > 0 && c.customerId !== null) (throttled as Set<number>).add(c.customerId);
        }
      }
      const tokens = await deps.db.transaction((trx) => issueTokens(trx, sendable.map((c) => c.surveyId), now));
      const messageIds = new Map(claimed.map((c) => [c.id, c.messageId]));
      for (const c of sendable) {
        const email = renderSurveyEmail({
          to: c.email as string,
          customerName: c.name,
          locale: chooseLocale(c.surveyLocale ?? c.customerLocale),
          branding: settings.branding,
          firstQuestion: settings.questions[0],
          token: tokens.get(c.surveyId) as string,
          baseUrl: deps.baseUrl,
          fromAddress,
          messageId: messageIds.get(c.outboxId) as string,
        });
        out.set(c.outboxId, { kind: 'send', email, retryUntil: c.sendAt + settings.policy.expiryDays * DAY_MS });
      }
      return out;
    },

    async recordOutcomes(trx: Knex.Transaction, outcomes: readonly DeliveryOutcome[], now: number): Promise<void> {
      const { policy } = await deps.settings.current();
      const sent = outcomes.filter((o) => o.kind === 'sent').map((o) => o.surveyId);
      const sentInteractions: string[] = [];
      if (sent.length > 0) {
        // Only the rows this update moves count as sent: a survey recorded twice (two workers racing) once.
        const moved = (await trx('surveys')
          .whereIn('id', sent)
          .where({ status: 'scheduled' })
          .update({ status: 'sent', sent_at: now, expires_at: now + policy.expiryDays * DAY_MS, updated_at: now })
          .returning(['interaction_id'])) as { interaction_id: string }[];
        sentInteractions.push(...moved.map((r) => r.interaction_id));
      }
      for (const o of outcomes) {
        if (o.kind === 'sent') continue;
        const reason = o.kind === 'failed' ? 'delivery_failed' : o.reason.slice(0, 32);
        await trx('surveys').where({ id: o.surveyId, status: 'scheduled' }).update({ status: o.kind, reason, updated_at: now });
      }
      // Last: shared rollup rows are locked after every other row (see kpis/update-rollups.ts).
      await addSentSurveysToRollups(trx, sentInteractions);
    },
  };
}
