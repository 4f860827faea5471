/** Interaction rows and the record the API answers with (an interaction and its survey). */
import type { Knex } from 'knex';
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
  readonly survey: {
    readonly id: string;
    readonly status: SurveyStatus;
    readonly reason: string | null;
    readonly sendAt: number | null;
    readonly sentAt: number | null;
  };
}

/** Inserts unless (source, external_id) exists; false means another request got there first. */
export async function insertInteraction(db: Executor, row: NewInteraction): Promise<boolean> {
  const inserted = (await db('interactions')
    .insert({
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
    })
    .onConflict(['source', 'external_id'])
    .ignore()
    .returning(['id'])) as { id: string }[];
  return inserted.length > 0;
}

export async function interactionExists(db: Executor, source: string, externalId: string): Promise<boolean> {
  return (await db('interactions').where({ source, external_id: externalId }).first('id')) !== undefined;
}

export async function findInteractionRecord(db: Executor, source: string, externalId: string): Promise<InteractionRecord | null> {
  const row = (await db('interactions as i')
    .join('surveys as s', 's.interaction_id', 'i.id')
    .where({ 'i.source': source, 'i.external_id': externalId })
    .first('i.id', 'i.source', 'i.external_id', 's.id as survey_id', 's.status', 's.reason', 's.send_at', 's.sent_at')) as
    | { id: string; source: string; external_id: string; survey_id: string; status: SurveyStatus; reason: string | null; send_at: number | null; sent_at: number | null }
    | undefined;
  if (row === undefined) return null;
  return {
    id: row.id,
    source: row.source,
    externalId: row.external_id,
    survey: { id: row.survey_id, status: row.status, reason: row.reason, sendAt: row.send_at === null ? null : Number(row.send_at), sentAt: row.sent_at === null ? null : Number(row.sent_at) },
  };
}
