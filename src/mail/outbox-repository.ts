/**
 * The outbox table: one row per survey email, queued in the same transaction as its survey, then
 * claimed by workers (pending → sending, with a lease), and finally sent, failed or cancelled.
 */
import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import type { Db } from '../db/knex';

type Executor = Knex | Knex.Transaction;

export type OutboxStatus = 'pending' | 'sending' | 'sent' | 'failed' | 'cancelled';

export interface QueuedEmail {
  readonly surveyId: string;
  /** When the first attempt is due (epoch ms). */
  readonly dueAt: number;
  /** Host part of the Message-ID, stable per installation. */
  readonly messageIdDomain: string;
  readonly now: number;
}

export interface ClaimedEmail {
  readonly id: string;
  readonly surveyId: string;
  readonly messageId: string;
  /** Attempts including this one. */
  readonly attempts: number;
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

/**
 * Claims up to `limit` due emails for this worker: pending ones whose time has come, and ones whose
 * previous worker's lease ran out (it died mid-send). One UPDATE does it, so two workers never claim the
 * same row: SQLite runs it under its single write lock, PostgreSQL skips rows another worker has locked.
 */
export async function claimDueEmails(db: Db, workerId: string, now: number, limit: number, leaseMs: number): Promise<ClaimedEmail[]> {
  const due = db('outbox_messages')
    .select('id')
    .where((q) => q.where({ status: 'pending' }).andWhere('due_at', '<=', now))
    .orWhere((q) => q.where({ status: 'sending' }).andWhere('lease_expires_at', '<=', now))
    .orderBy('due_at')
    .limit(limit);
  if (db.client.config.client === 'pg') due.forUpdate().skipLocked();
  const rows = (await db('outbox_messages')
    .whereIn('id', due)
    .update({ status: 'sending', worker_id: workerId, lease_expires_at: now + leaseMs, attempts: db.raw('attempts + 1'), updated_at: now })
    .returning(['id', 'survey_id', 'message_id', 'attempts'])) as { id: string; survey_id: string; message_id: string; attempts: number }[];
  return rows.map((r) => ({ id: r.id, surveyId: r.survey_id, messageId: r.message_id, attempts: Number(r.attempts) }));
}

/** Keeps this worker's claims alive while their sends are still running. */
export async function extendLeases(db: Db, workerId: string, ids: readonly string[], until: number): Promise<void> {
  if (ids.length === 0) return;
  await db('outbox_messages').whereIn('id', ids).andWhere({ worker_id: workerId, status: 'sending' }).update({ lease_expires_at: until });
}

/** Rows still claimed by this worker (a row whose lease ran out may have moved on to another worker). */
function claimedBy(trx: Executor, workerId: string, ids: readonly string[]) {
  return trx('outbox_messages').whereIn('id', ids).andWhere({ worker_id: workerId, status: 'sending' });
}

export interface CapturedCopy {
  readonly id: string;
  readonly subject: string;
  readonly html: string;
  readonly text: string;
}

export async function markSent(trx: Executor, workerId: string, ids: readonly string[], now: number): Promise<void> {
  if (ids.length === 0) return;
  await claimedBy(trx, workerId, ids).update({ status: 'sent', sent_at: now, lease_expires_at: null, last_error: null, updated_at: now });
}

/** Capture mode: the message is "delivered" into its own row. */
export async function markCaptured(trx: Executor, workerId: string, copies: readonly CapturedCopy[], now: number): Promise<void> {
  for (const copy of copies) {
    await claimedBy(trx, workerId, [copy.id]).update({
      status: 'sent',
      sent_at: now,
      captured: true,
      subject: copy.subject,
      html: copy.html,
      text: copy.text,
      lease_expires_at: null,
      last_error: null,
      updated_at: now,
    });
  }
}

export async function scheduleRetry(trx: Executor, workerId: string, id: string, dueAt: number, error: string, now: number): Promise<void> {
  await claimedBy(trx, workerId, [id]).update({ status: 'pending', due_at: dueAt, last_error: error, lease_expires_at: null, updated_at: now });
}

export async function markFinal(trx: Executor, workerId: string, id: string, status: 'failed' | 'cancelled', reason: string, now: number): Promise<void> {
  await claimedBy(trx, workerId, [id]).update({ status, last_error: reason, lease_expires_at: null, updated_at: now });
}

export interface OutboxEntry {
  readonly id: string;
  readonly surveyId: string;
  readonly status: OutboxStatus;
  readonly attempts: number;
  readonly dueAt: number;
  readonly sentAt: number | null;
  readonly lastError: string | null;
  readonly captured: boolean;
  readonly subject: string | null;
}

interface OutboxRow {
  id: string;
  survey_id: string;
  status: OutboxStatus;
  attempts: number;
  due_at: number;
  sent_at: number | null;
  last_error: string | null;
  captured: boolean | number;
  subject: string | null;
}

const toEntry = (r: OutboxRow): OutboxEntry => ({
  id: r.id,
  surveyId: r.survey_id,
  status: r.status,
  attempts: Number(r.attempts),
  dueAt: Number(r.due_at),
  sentAt: r.sent_at === null ? null : Number(r.sent_at),
  lastError: r.last_error,
  captured: Boolean(r.captured),
  subject: r.subject,
});

/** Newest first. */
export async function listOutbox(db: Db, options: { status?: OutboxStatus; limit: number }): Promise<OutboxEntry[]> {
  const q = db('outbox_messages').select('id', 'survey_id', 'status', 'attempts', 'due_at', 'sent_at', 'last_error', 'captured', 'subject').orderBy('created_at', 'desc').limit(options.limit);
  if (options.status) q.where({ status: options.status });
  return ((await q) as OutboxRow[]).map(toEntry);
}

export async function findCapturedMessage(db: Db, id: string): Promise<(OutboxEntry & { html: string | null; text: string | null }) | null> {
  const row = (await db('outbox_messages').where({ id }).first()) as (OutboxRow & { html: string | null; text: string | null }) | undefined;
  return row ? { ...toEntry(row), html: row.html, text: row.text } : null;
}
