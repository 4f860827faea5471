/**
 * Agents, teams and customers as triggers describe them: created on first sight, updated with what
 * later triggers say (a field a trigger leaves out keeps its stored value).
 */
import type { Knex } from 'knex';
import { insertRows } from '../db/insert-rows';
import { runPrepared } from '../db/sqlite-statements';

type Executor = Knex | Knex.Transaction;

export interface AgentFacts {
  readonly externalId: string;
  readonly name: string | null;
  readonly email: string | null;
}

export interface CustomerFacts {
  readonly email: string;
  readonly name: string | null;
  readonly locale: string | null;
  readonly externalId: string | null;
}

export interface CustomerState {
  readonly id: number;
  readonly unsubscribed: boolean;
  readonly locale: string | null;
  /** Latest send moment of the customer's scheduled or sent surveys after `surveyedSince`, if any. */
  readonly lastSurveyAt: number | null;
}

export async function upsertTeam(db: Executor, name: string, now: number): Promise<number> {
  const rows = (await db('teams')
    .insert({ name, created_at: now })
    .onConflict('name')
    .merge({ name })
    .returning(['id'])) as { id: number }[];
  return Number(rows[0]?.id);
}

/** Creates or updates the agent; returns its id and the team it belongs to now. */
export async function upsertAgent(db: Executor, agent: AgentFacts, teamId: number | null, now: number): Promise<{ id: number; teamId: number | null }> {
  const rows = (await db('agents')
    .insert({ external_id: agent.externalId, name: agent.name, email: agent.email, team_id: teamId, created_at: now, updated_at: now })
    .onConflict('external_id')
    .merge({
      name: db.raw('coalesce(excluded.name, agents.name)'),
      email: db.raw('coalesce(excluded.email, agents.email)'),
      team_id: db.raw('coalesce(excluded.team_id, agents.team_id)'),
      updated_at: now,
    })
    .returning(['id', 'team_id'])) as { id: number; team_id: number | null }[];
  const row = rows[0];
  return { id: Number(row?.id), teamId: row?.team_id ?? null };
}

type CustomerRow = { id: number; email: string; unsubscribed_at: number | null; locale: string | null; last_survey_at?: number | string | null };

// A field a trigger leaves out keeps its stored value.
const CUSTOMER_UPSERT =
  'on conflict (email) do update set name = coalesce(excluded.name, customers.name), locale = coalesce(excluded.locale, customers.locale), ' +
  'external_id = coalesce(excluded.external_id, customers.external_id), updated_at = excluded.updated_at returning id, email, unsubscribed_at, locale';

/** What the throttle counts: surveys scheduled or sent (expired ones were sent) after `since`; throttled or cancelled ones don't. */
const LAST_SURVEY_AT =
  "(select max(s.send_at) from surveys s where s.customer_id = customers.id and s.status in ('scheduled', 'sent', 'expired') and s.send_at > ?) as last_survey_at";

/**
 * Creates or updates customers in one statement and returns their state by email, with what the
 * throttle needs. Facts for the same email are merged first (later ones win), as PostgreSQL refuses to
 * upsert one row twice in a statement.
 *
 * The survey history is read differently per engine. SQLite has one writer, so the upsert's RETURNING
 * can read it (this runs once per ingest batch: one statement fewer on the hot path). On PostgreSQL
 * the upsert locks each customer row until commit, serialising racing triggers for one customer, but a
 * statement only sees rows committed before it began: the history must be read by a second statement,
 * after the lock is held, or a racing transaction's survey would be missed.
 */
export async function upsertCustomers(
  db: Executor,
  customers: readonly CustomerFacts[],
  now: number,
  surveyedSince: number,
): Promise<Map<string, CustomerState>> {
  const byEmail = new Map<string, CustomerFacts>();
  for (const c of customers) {
    const prior = byEmail.get(c.email);
    byEmail.set(c.email, prior ? { email: c.email, name: c.name ?? prior.name, locale: c.locale ?? prior.locale, externalId: c.externalId ?? prior.externalId } : c);
  }
  if (byEmail.size === 0) return new Map();
  const sqlite = db.client.config.client !== 'pg';
  const rows = await insertRows<CustomerRow>(
    db,
    'customers',
    [...byEmail.values()].map((c) => ({ email: c.email, name: c.name, locale: c.locale, external_id: c.externalId, created_at: now, updated_at: now })),
    sqlite ? `${CUSTOMER_UPSERT}, ${LAST_SURVEY_AT}` : CUSTOMER_UPSERT,
    sqlite ? [surveyedSince] : [],
  );
  const latest = sqlite ? null : await latestSurveySendAt(db, rows.map((r) => Number(r.id)), surveyedSince);
  return customerStates(rows, latest);
}

/** A customer as one new trigger names it, with that trigger's key. */
export interface CustomerOfTrigger extends CustomerFacts {
  readonly source: string;
  readonly triggerExternalId: string;
}

/**
 * upsertCustomers for a SQLite ingest batch, run beside its check for stored duplicates (one trip to the
 * database thread fewer): a customer is written only when its trigger is not stored yet, so a repeat
 * changes nothing, and is then returned with its state. Null, with nothing written, when two triggers
 * name the same customer: which facts win depends on which triggers are new, so the caller upserts
 * after the check.
 */
export async function upsertCustomersOfNewTriggers(
  trx: Knex.Transaction,
  customers: readonly CustomerOfTrigger[],
  now: number,
  surveyedSince: number,
): Promise<Map<string, CustomerState> | null> {
  if (customers.length === 0) return new Map();
  if (new Set(customers.map((c) => c.email)).size < customers.length) return null;
  const rows = await runPrepared<CustomerRow>(
    trx,
    'insert into customers (email, name, locale, external_id, created_at, updated_at) ' +
      'select value->>0, value->>1, value->>2, value->>3, ?, ? from json_each(?) ' +
      'where not exists (select 1 from interactions i where i.source = value->>4 and i.external_id = value->>5) ' +
      `${CUSTOMER_UPSERT}, ${LAST_SURVEY_AT}`,
    [now, now, JSON.stringify(customers.map((c) => [c.email, c.name, c.locale, c.externalId, c.source, c.triggerExternalId])), surveyedSince],
  );
  return customerStates(rows, null);
}

function customerStates(rows: readonly CustomerRow[], latest: ReadonlyMap<number, number> | null): Map<string, CustomerState> {
  return new Map(
    rows.map((r) => {
      const last = latest ? latest.get(Number(r.id)) : r.last_survey_at;
      return [r.email, { id: Number(r.id), unsubscribed: r.unsubscribed_at != null, locale: r.locale, lastSurveyAt: last == null ? null : Number(last) }];
    }),
  );
}

async function latestSurveySendAt(db: Executor, customerIds: readonly number[], since: number): Promise<Map<number, number>> {
  const rows = (await db('surveys')
    .whereIn('customer_id', customerIds)
    .whereIn('status', ['scheduled', 'sent', 'expired'])
    .where('send_at', '>', since)
    .groupBy('customer_id')
    .select('customer_id', db.raw('max(send_at) as latest'))) as { customer_id: number; latest: number }[];
  return new Map(rows.map((r) => [Number(r.customer_id), Number(r.latest)]));
}
