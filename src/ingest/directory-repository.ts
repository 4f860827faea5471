/**
 * Agents, teams and customers as triggers describe them: created on first sight, updated with what
 * later triggers say (a field a trigger leaves out keeps its stored value).
 */
import type { Knex } from 'knex';

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

export async function upsertCustomer(db: Executor, customer: CustomerFacts, now: number): Promise<CustomerState> {
  const rows = (await db('customers')
    .insert({ email: customer.email, name: customer.name, locale: customer.locale, external_id: customer.externalId, created_at: now, updated_at: now })
    .onConflict('email')
    .merge({
      name: db.raw('coalesce(excluded.name, customers.name)'),
      locale: db.raw('coalesce(excluded.locale, customers.locale)'),
      external_id: db.raw('coalesce(excluded.external_id, customers.external_id)'),
      updated_at: now,
    })
    .returning(['id', 'unsubscribed_at', 'locale'])) as { id: number; unsubscribed_at: number | null; locale: string | null }[];
  const row = rows[0];
  return { id: Number(row?.id), unsubscribed: row?.unsubscribed_at != null, locale: row?.locale ?? null };
}
