/**
 * The outbox table: one row per survey email, queued in the same transaction as its survey.
 */
import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';

export interface QueuedEmail {
  readonly surveyId: string;
  /** When the first attempt is due (epoch ms). */
  readonly dueAt: number;
  /** Host part of the Message-ID, stable per installation. */
  readonly messageIdDomain: string;
  readonly now: number;
}

/** Queues survey emails; each Message-ID is fixed now so every retry carries the same one. */
export async function enqueueSurveyEmails(trx: Knex.Transaction, emails: readonly QueuedEmail[]): Promise<void> {
  if (emails.length === 0) return;
  await trx('outbox_messages').insert(
    emails.map((email) => ({
      id: randomUUID(),
      survey_id: email.surveyId,
      status: 'pending',
      message_id: `<survey-${email.surveyId}@${email.messageIdDomain}>`,
      due_at: email.dueAt,
      attempts: 0,
      created_at: email.now,
      updated_at: email.now,
    })),
  );
}
