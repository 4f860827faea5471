/**
 * Unsubscribing through a survey's link: the token is the capability (RFC 8058 one-click needs no other
 * secret), and it keeps working after the survey expires. The customer's email is then suppressed for
 * every later trigger, and surveys already scheduled are cancelled at send time.
 */
import type { Clock } from '../clock';
import type { Db } from '../db/knex';
import { surveyIdForToken } from './token-repository';

export interface UnsubscribeTarget {
  readonly customerId: number;
  readonly email: string;
  readonly locale: string | null;
  readonly unsubscribed: boolean;
}

export async function findUnsubscribeTarget(db: Db, token: string): Promise<UnsubscribeTarget | null> {
  const surveyId = await surveyIdForToken(db, token);
  if (surveyId === null) return null;
  const row = (await db('surveys as s')
    .join('customers as c', 'c.id', 's.customer_id')
    .where('s.id', surveyId)
    .first('c.id', 'c.email', 'c.locale', 's.locale as survey_locale', 'c.unsubscribed_at')) as
    | { id: number; email: string; locale: string | null; survey_locale: string | null; unsubscribed_at: number | null }
    | undefined;
  if (!row) return null;
  return { customerId: Number(row.id), email: row.email, locale: row.survey_locale ?? row.locale, unsubscribed: row.unsubscribed_at != null };
}

/** Unsubscribes the token's customer (idempotent); null when the token is unknown. */
export async function unsubscribe(db: Db, readDb: Db, clock: Clock, token: string): Promise<UnsubscribeTarget | null> {
  const target = await findUnsubscribeTarget(readDb, token);
  if (target === null) return null;
  const now = clock();
  await db('customers').where({ id: target.customerId }).whereNull('unsubscribed_at').update({ unsubscribed_at: now, updated_at: now });
  return { ...target, unsubscribed: true };
}

/** `carla@example.org` → `c***a@example.org`: enough to recognise, not to harvest. */
export function maskEmail(email: string): string {
  const [local = '', domain = ''] = email.split('@');
  const shown = local.length <= 2 ? `${local[0] ?? ''}***` : `${local[0]}***${local[local.length - 1]}`;
  return `${shown}@${domain}`;
}
