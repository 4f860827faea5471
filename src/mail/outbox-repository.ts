/**
 * The outbox table: one row per survey email, queued in the same transaction as its survey, then
 * claimed by workers (pending → sending, with a lease), and finally sent, failed or cancelled.
 */
import type { Knex } from 'knex';
import type { Db } from '../db/knex';
import { insertRows } from '../db/insert-rows';
import { timeOrderedUuid } from '../db/time-ordered-id';

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
  await insertRows(
    trx,
    'outbox_messages',
    emails.map((email) => ({
      id: timeOrderedUuid(email.now),
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

/** Where a dashboard page of the outbox starts: the (created_at, id) of the row just outside it. */
export interface OutboxCursor {
  readonly createdAt: number;
  readonly id: string;
}

/** A dashboard filter: a stored status, or `captured` (sent into the database in capture mode). */
export type OutboxFilter = OutboxStatus | 'captured';

/** One row of the dashboard's outbox list: the entry plus its recipient and queueing time. */
export interface OutboxListEntry extends OutboxEntry {
  /** The customer's email address, or null when the survey has no customer. */
  readonly recipient: string | null;
  readonly createdAt: number;
}

export interface OutboxPage {
  readonly entries: OutboxListEntry[];
  /** Cursor for the next older page, or null on the last page. */
  readonly older: OutboxCursor | null;
  /** Cursor for the next newer page, or null on the first page. */
  readonly newer: OutboxCursor | null;
}

interface OutboxListRow extends OutboxRow {
  created_at: number;
  recipient: string | null;
}

const toListEntry = (r: OutboxListRow): OutboxListEntry => ({ ...toEntry(r), recipient: r.recipient, createdAt: Number(r.created_at) });

/**
 * One page of the outbox, newest first, by keyset on (created_at, id): unlike an offset, a page stays
 * cheap however deep it is, and rows queued meanwhile do not shift the pages a reader is walking.
 * `before` walks to older rows, `after` back to newer ones.
 */
export async function listOutboxPage(
  db: Db,
  options: { filter?: OutboxFilter; before?: OutboxCursor; after?: OutboxCursor; limit: number },
): Promise<OutboxPage> {
  const towardsNewer = options.after !== undefined && options.before === undefined;
  const cursor = towardsNewer ? options.after : options.before;
  const direction = towardsNewer ? 'asc' : 'desc';
  const q = db('outbox_messages as o')
    .leftJoin('surveys as s', 's.id', 'o.survey_id')
    .leftJoin('customers as c', 'c.id', 's.customer_id')
    .select('o.id', 'o.survey_id', 'o.status', 'o.attempts', 'o.due_at', 'o.sent_at', 'o.last_error', 'o.captured', 'o.subject', 'o.created_at', 'c.email as recipient')
    .orderBy([
      { column: 'o.created_at', order: direction },
      { column: 'o.id', order: direction },
    ])
    // One extra row tells whether another page follows in this direction.
    .limit(options.limit + 1);
  if (options.filter === 'captured') q.where('o.captured', true);
  else if (options.filter === 'sent') q.where({ 'o.status': 'sent', 'o.captured': false });
  else if (options.filter) q.where('o.status', options.filter);
  if (cursor) {
    const op = towardsNewer ? '>' : '<';
    q.where((w) => w.where('o.created_at', op, cursor.createdAt).orWhere((e) => e.where('o.created_at', cursor.createdAt).andWhere('o.id', op, cursor.id)));
  }
  const rows = ((await q) as OutboxListRow[]).map(toListEntry);
  const more = rows.length > options.limit;
  const page = rows.slice(0, options.limit);
  if (towardsNewer) page.reverse();
  const first = page[0];
  const last = page[page.length - 1];
  const at = (e: OutboxListEntry | undefined): OutboxCursor | null => (e ? { createdAt: e.createdAt, id: e.id } : null);
  return {
    entries: page,
    older: towardsNewer ? (cursor ? at(last) : null) : more ? at(last) : null,
    newer: towardsNewer ? (more ? at(first) : null) : cursor ? at(first) : null,
  };
}

/** One outbox row with its recipient and, when it was captured, its content; null when unknown. */
export async function findOutboxMessage(db: Db, id: string): Promise<(OutboxListEntry & { messageId: string; html: string | null; text: string | null }) | null> {
  const row = (await db('outbox_messages as o')
    .leftJoin('surveys as s', 's.id', 'o.survey_id')
    .leftJoin('customers as c', 'c.id', 's.customer_id')
    .where('o.id', id)
    .first('o.*', 'c.email as recipient')) as (OutboxListRow & { message_id: string; html: string | null; text: string | null }) | undefined;
  return row ? { ...toListEntry(row), messageId: row.message_id, html: row.html, text: row.text } : null;
}
