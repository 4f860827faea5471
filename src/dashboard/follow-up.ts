/**
 * The detractor follow-up: a lead marks an unhappy answer contacted or closed, with a note, and the
 * queue remembers who did it and when. One row per response, replaced on each change.
 */
import type { Clock } from '../clock';
import type { Db } from '../db/knex';
import { NotFound, ValidationFailed, type FieldIssue } from '../errors';
import { FOLLOW_UP_STATUSES, type FollowUpStatus } from './responses-repository';
import { isUuid } from './values';

export const MAX_NOTE_LENGTH = 2000;

export interface FollowUpInput {
  /** The response followed up. */
  readonly responseId: string;
  /** The status as posted (validated here). */
  readonly status: string | null;
  /** The note as posted; empty means none. */
  readonly note: string | null;
  /** The signed-in user who made the change. */
  readonly userId: string;
}

export async function recordFollowUp(db: Db, clock: Clock, input: FollowUpInput): Promise<FollowUpStatus> {
  const issues: FieldIssue[] = [];
  const status = FOLLOW_UP_STATUSES.find((s) => s === input.status);
  if (!status) issues.push({ path: 'status', message: `must be one of ${FOLLOW_UP_STATUSES.join(', ')}` });
  const note = input.note?.trim() ?? '';
  if (Array.from(note).length > MAX_NOTE_LENGTH || note.includes('\u0000')) issues.push({ path: 'note', message: `must be at most ${MAX_NOTE_LENGTH} characters` });
  if (issues.length > 0 || !status) throw new ValidationFailed(issues);
  if (!isUuid(input.responseId) || !(await db('responses').where({ id: input.responseId }).first('id'))) throw new NotFound('There is no such response.');
  const now = clock();
  await db('follow_ups')
    .insert({ response_id: input.responseId, status, note: note === '' ? null : note, updated_by: input.userId, created_at: now, updated_at: now })
    .onConflict('response_id')
    .merge(['status', 'note', 'updated_by', 'updated_at']);
  return status;
}
