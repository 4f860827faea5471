/**
 * Writes a demo model into the database: teams and agents first, then the interactions in closing
 * order, a few thousand per transaction, each with its new customers, survey, sent outbox email and
 * response. Rows go in as large multi-row INSERTs; ids are made here (time-ordered UUIDs) or come back
 * from the insert itself (customers), so a million interactions cost a few hundred round trips, not
 * millions. The KPI rollups are rebuilt once at the end. A failed batch rolls back alone: the batches before it stay, and a rerun of the seed is refused.
 */
import type { Knex } from 'knex';
import { engineOf, type Db } from '../db/knex';
import { runTransaction } from '../db/transaction';
import { rebuildRollups } from '../kpis';
import { insertRows, type Column, type Row } from './bulk-insert';
import { demoAgentExternalId } from './demo-directory';
import { createDemoModel, demoExternalId, type DemoInteraction, type DemoModel, type DemoPlan } from './demo-model';
import { DemoAlreadyLoaded } from './errors';
import { timeOrderedUuid } from '../db/time-ordered-id';

/** What to load, and how many interactions go in one transaction. */
export interface LoadDemoOptions extends DemoPlan {
  /** Interactions per transaction (default 5,000). */
  readonly batchSize?: number;
}

/** Counts so far; passed to the progress callback after each committed batch. */
export interface DemoProgress {
  readonly interactions: number;
  readonly total: number;
  readonly surveysSent: number;
  readonly responses: number;
  readonly customers: number;
}

/** What was loaded. */
export interface DemoSummary extends DemoProgress {
  readonly teams: number;
  readonly agents: number;
  /** KPI rollup rows after the closing rebuild. */
  readonly rollupRows: number;
}

/** The source of every demo interaction. */
export const DEMO_SOURCE = 'demo';

const INTERACTION_COLUMNS: readonly Column[] = [
  ['id', 'uuid'], ['source', 'text'], ['external_id', 'text'], ['channel', 'text'], ['agent_id', 'int4'], ['team_id', 'int4'], ['customer_id', 'int4'],
  ['opened_at', 'int8'], ['first_response_at', 'int8'], ['closed_at', 'int8'], ['contacts', 'int4'], ['metadata', 'text'], ['created_at', 'int8'],
];
const SURVEY_COLUMNS: readonly Column[] = [
  ['id', 'uuid'], ['interaction_id', 'uuid'], ['customer_id', 'int4'], ['status', 'text'], ['reason', 'text'], ['locale', 'text'],
  ['send_at', 'int8'], ['sent_at', 'int8'], ['expires_at', 'int8'], ['created_at', 'int8'], ['updated_at', 'int8'],
];
const OUTBOX_COLUMNS: readonly Column[] = [
  ['id', 'uuid'], ['survey_id', 'uuid'], ['status', 'text'], ['message_id', 'text'], ['due_at', 'int8'], ['attempts', 'int4'], ['sent_at', 'int8'], ['created_at', 'int8'], ['updated_at', 'int8'],
];
const RESPONSE_COLUMNS: readonly Column[] = [
  ['id', 'uuid'], ['survey_id', 'uuid'], ['interaction_id', 'uuid'], ['nps', 'int2'], ['csat', 'int2'], ['ces', 'int2'], ['comment', 'text'],
  ['locale', 'text'], ['user_agent', 'text'], ['first_submitted_at', 'int8'], ['updated_at', 'int8'],
];
const CUSTOMER_COLUMNS: readonly Column[] = [['email', 'text'], ['name', 'text'], ['locale', 'text'], ['created_at', 'int8'], ['updated_at', 'int8']];
const TEAM_COLUMNS: readonly Column[] = [['name', 'text'], ['created_at', 'int8']];
const AGENT_COLUMNS: readonly Column[] = [['external_id', 'text'], ['name', 'text'], ['email', 'text'], ['team_id', 'int4'], ['created_at', 'int8'], ['updated_at', 'int8']];

/** True when this seed's first agent or first interaction is stored: an earlier load (even a partial one). */
async function alreadyLoaded(db: Db, seed: number): Promise<boolean> {
  const agent = await db('agents').where({ external_id: demoAgentExternalId(seed, 1) }).first('id');
  if (agent !== undefined) return true;
  return (await db('interactions').where({ source: DEMO_SOURCE, external_id: demoExternalId(seed, 1) }).first('id')) !== undefined;
}

/** Teams (shared by every seed, created if missing) and the seed's agents; returns their ids by model index. */
async function insertDirectory(trx: Knex.Transaction, model: DemoModel): Promise<{ teamIds: number[]; agentIds: number[] }> {
  const at = model.startsAt;
  const teams = await insertRows(trx, 'teams', TEAM_COLUMNS, model.teams.map((name) => [name, at]), 'on conflict (name) do update set name = excluded.name returning id, name');
  const teamByName = new Map(teams.map((t) => [String(t.name), Number(t.id)]));
  const teamIds = model.teams.map((name) => teamByName.get(name) as number);
  const agentRows = model.agents.map((a) => [a.externalId, a.name, a.email, teamIds[a.team], at, at]);
  const agents = await insertRows(trx, 'agents', AGENT_COLUMNS, agentRows, 'returning id, external_id');
  const agentByExternalId = new Map(agents.map((a) => [String(a.external_id), Number(a.id)]));
  return { teamIds, agentIds: model.agents.map((a) => agentByExternalId.get(a.externalId) as number) };
}

/**
 * Loads the demo described by `options`. Throws DemoAlreadyLoaded when this seed was loaded before.
 * Works on SQLite and PostgreSQL.
 */
export async function loadDemo(db: Db, options: LoadDemoOptions, onProgress?: (progress: DemoProgress) => void): Promise<DemoSummary> {
  if (await alreadyLoaded(db, options.seed)) throw new DemoAlreadyLoaded(options.seed);
  const model = createDemoModel(options);
  const { teamIds, agentIds } = await runTransaction(db, (trx) => insertDirectory(trx, model));
  const customerIds = new Int32Array(model.customerCapacity);
  const batchSize = Math.max(1, options.batchSize ?? 5000);
  const progress = { interactions: 0, total: options.interactions, surveysSent: 0, responses: 0, customers: 0 };
  const restore = await tuneForBulkLoad(db);
  try {
    let batch: DemoInteraction[] = [];
    const flush = async (): Promise<void> => {
      const counts = await runTransaction(db, (trx) => writeBatch(trx, batch, { teamIds, agentIds, customerIds }));
      progress.interactions += batch.length;
      progress.surveysSent += counts.surveysSent;
      progress.responses += counts.responses;
      progress.customers += counts.customers;
      batch = [];
      onProgress?.({ ...progress });
    };
    for (const interaction of model.interactions()) {
      batch.push(interaction);
      if (batch.length >= batchSize) await flush();
    }
    if (batch.length > 0) await flush();
  } finally {
    await restore();
  }
  // The rows went in without touching the rollups (a million upserts would dominate the load): one
  // rebuild makes them equal to the raw rows again, including anything stored before the demo.
  const rollups = await rebuildRollups(db, options.timeZone ?? 'UTC', options.now);
  return { ...progress, teams: model.teams.length, agents: model.agents.length, rollupRows: rollups.rows };
}

interface IdMaps {
  readonly teamIds: readonly number[];
  readonly agentIds: readonly number[];
  /** Customer id by model index, filled as customers are inserted (0 = not yet). */
  readonly customerIds: Int32Array;
}

async function writeBatch(trx: Knex.Transaction, batch: readonly DemoInteraction[], ids: IdMaps): Promise<{ surveysSent: number; responses: number; customers: number }> {
  const fresh = batch.flatMap((i) => (i.newCustomer === null ? [] : [{ customer: i.newCustomer, at: i.closedAt }]));
  if (fresh.length > 0) {
    const indexByEmail = new Map(fresh.map(({ customer }) => [customer.email, customer.index]));
    // A customer with a demo address that is already stored (say, from real triggers) is reused, not duplicated.
    const stored = await insertRows(
      trx,
      'customers',
      CUSTOMER_COLUMNS,
      fresh.map(({ customer: c, at }) => [c.email, c.name, c.locale, at, at]),
      'on conflict (email) do update set email = excluded.email returning id, email',
    );
    for (const row of stored) ids.customerIds[indexByEmail.get(String(row.email)) as number] = Number(row.id);
  }

  const interactions: Row[] = [];
  const surveys: Row[] = [];
  const outbox: Row[] = [];
  const responses: Row[] = [];
  for (const i of batch) {
    const interactionId = timeOrderedUuid(i.closedAt);
    const surveyId = timeOrderedUuid(i.closedAt);
    const customerId = ids.customerIds[i.customer] as number;
    interactions.push([
      interactionId, DEMO_SOURCE, i.externalId, i.channel, ids.agentIds[i.agent], ids.teamIds[i.team], customerId,
      i.openedAt, i.firstResponseAt, i.closedAt, i.contacts, JSON.stringify(i.metadata), i.closedAt,
    ]);
    const s = i.survey;
    if (s.status === 'suppressed') {
      surveys.push([surveyId, interactionId, customerId, 'suppressed', s.reason, i.locale, null, null, null, i.closedAt, i.closedAt]);
      continue;
    }
    surveys.push([surveyId, interactionId, customerId, s.status, null, i.locale, s.sendAt, s.sentAt, s.expiresAt, i.closedAt, s.updatedAt]);
    outbox.push([timeOrderedUuid(i.closedAt), surveyId, 'sent', `<survey-${surveyId}@demo.invalid>`, s.sendAt, 1, s.sentAt, i.closedAt, s.sentAt]);
    const r = s.response;
    if (r !== null) {
      responses.push([timeOrderedUuid(r.firstSubmittedAt), surveyId, interactionId, r.nps, r.csat, r.ces, r.comment, r.locale, r.userAgent, r.firstSubmittedAt, r.updatedAt]);
    }
  }
  await insertRows(trx, 'interactions', INTERACTION_COLUMNS, interactions);
  await insertRows(trx, 'surveys', SURVEY_COLUMNS, surveys);
  await insertRows(trx, 'outbox_messages', OUTBOX_COLUMNS, outbox);
  await insertRows(trx, 'responses', RESPONSE_COLUMNS, responses);
  return { surveysSent: outbox.length, responses: responses.length, customers: fresh.length };
}

/**
 * SQLite: a larger page cache for the load, so the random-keyed UUID indexes stay in memory instead of
 * being re-read for every batch; the previous size is put back afterwards (the connection is shared).
 */
async function tuneForBulkLoad(db: Db): Promise<() => Promise<void>> {
  if (engineOf(db) !== 'sqlite') return async () => undefined;
  const rows = (await db.raw('pragma cache_size')) as { cache_size: number }[];
  const previous = Number(rows[0]?.cache_size ?? -2000);
  await db.raw('pragma cache_size = -262144');
  return async () => {
    await db.raw(`pragma cache_size = ${previous}`);
  };
}
