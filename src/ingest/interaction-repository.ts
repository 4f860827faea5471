/** Interaction rows and the record the API answers with (an interaction and its survey). */
import type { Knex } from 'knex';
import { insertRows } from '../db/insert-rows';
import { isSqliteTransaction, runPrepared } from '../db/sqlite-statements';
import type { SurveyStatus } from '../surveys/survey-repository';

type Executor = Knex | Knex.Transaction;

export interface NewInteraction {
  readonly id: string;
  readonly source: string;
  readonly externalId: string;
  readonly channel: string;
  readonly agentId: number;
  readonly teamId: number | null;
  readonly customerId: number | null;
  readonly openedAt: number | null;
  readonly firstResponseAt: number | null;
  readonly closedAt: number;
  readonly contacts: number | null;
  readonly metadata: Readonly<Record<string, unknown>> | null;
  readonly now: number;
}

export interface InteractionRecord {
  readonly id: string;
  readonly source: string;
  readonly externalId: string;
  /** The survey decision as the trigger's 201 told it: scheduled (with its send moment) or suppressed (with why). */
  readonly survey: {
    readonly id: string;
    readonly status: 'scheduled' | 'suppressed';
    readonly reason: string | null;
    readonly sendAt: number | null;
  };
}

/** The (source, external_id) keys among `keys` that are already stored, as `source\u0000external_id`. */
export async function storedKeys(db: Executor, keys: readonly { source: string; externalId: string }[]): Promise<Set<string>> {
  if (keys.length === 0) return new Set();
  if (isSqliteTransaction(db)) {
    const rows = await runPrepared<{ source: string; external_id: string }>(
      db,
      'select i.source, i.external_id from json_each(?) k join interactions i on i.source = k.value->>0 and i.external_id = k.value->>1',
      [JSON.stringify(keys.map((k) => [k.source, k.externalId]))],
    );
    return new Set(rows.map((r) => interactionKey(r.source, r.external_id)));
  }
  // Two plain IN lists use the (source, external_id) index on both engines (SQLite scans the table for
  // a row-value IN); the cross product they admit is filtered out below.
  const rows = (await db('interactions')
    .whereIn('source', [...new Set(keys.map((k) => k.source))])
    .whereIn('external_id', [...new Set(keys.map((k) => k.externalId))])
    .select('source', 'external_id')) as { source: string; external_id: string }[];
  const wanted = new Set(keys.map((k) => interactionKey(k.source, k.externalId)));
  return new Set(rows.map((r) => interactionKey(r.source, r.external_id)).filter((k) => wanted.has(k)));
}

export function interactionKey(source: string, externalId: string): string {
  return `${source}\u0000${externalId}`;
}

/**
 * Inserts the rows, skipping any whose (source, external_id) exists; returns how many were inserted,
 * so the caller can tell that a concurrent request got there first.
 */
export async function insertInteractions(db: Executor, rows: readonly NewInteraction[]): Promise<number> {
  if (rows.length === 0) return 0;
  const inserted = await insertRows<{ id: string }>(
    db,
    'interactions',
    rows.map((row) => ({
      id: row.id,
      source: row.source,
      external_id: row.externalId,
      channel: row.channel,
      agent_id: row.agentId,
      team_id: row.teamId,
      customer_id: row.customerId,
      opened_at: row.openedAt,
      first_response_at: row.firstResponseAt,
      closed_at: row.closedAt,
      contacts: row.contacts,
      metadata: row.metadata === null ? null : JSON.stringify(row.metadata),
      created_at: row.now,
    })),
    'on conflict (source, external_id) do nothing returning id',
  );
  return inserted.length;
}

export async function findInteractionRecord(db: Executor, source: string, externalId: string): Promise<InteractionRecord | null> {
  const row = (await db('interactions as i')
    .join('surveys as s', 's.interaction_id', 'i.id')
    .where({ 'i.source': source, 'i.external_id': externalId })
    .first('i.id', 'i.source', 'i.external_id', 's.id as survey_id', 's.status', 's.reason', 's.send_at')) as
    | { id: string; source: string; external_id: string; survey_id: string; status: SurveyStatus; reason: string | null; send_at: number | null }
    | undefined;
  if (row === undefined) return null;
  // A duplicate answers the original record (CONTRACT §3): a survey scheduled then is reported as
  // scheduled whatever happened to it since (sent, failed, cancelled, expired).
  const suppressed = row.status === 'suppressed';
  return {
    id: row.id,
    source: row.source,
    externalId: row.external_id,
    survey: { id: row.survey_id, status: suppressed ? 'suppressed' : 'scheduled', reason: suppressed ? row.reason : null, sendAt: suppressed || row.send_at === null ? null : Number(row.send_at) },
  };
}
