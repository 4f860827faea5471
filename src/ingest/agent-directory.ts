/**
 * Resolves a trigger's agent and team to ids, skipping the upsert when this process already wrote the
 * same facts recently. Most triggers name an agent seen seconds ago, so this saves two writes each.
 * Entries are only remembered after their transaction commits, and expire so that changes made by
 * other servers are re-applied from later triggers.
 */
import type { Knex } from 'knex';
import type { BatchContext } from '../db/write-batcher';
import { upsertAgent, upsertTeam, type AgentFacts } from './directory-repository';

const TTL_MS = 60_000;
const MAX_ENTRIES = 10_000;

interface Entry<T> {
  readonly value: T;
  readonly until: number;
}

class ExpiringMap<T> {
  private readonly entries = new Map<string, Entry<T>>();

  get(key: string, now: number): T | undefined {
    const entry = this.entries.get(key);
    return entry && entry.until > now ? entry.value : undefined;
  }

  set(key: string, value: T, now: number): void {
    if (this.entries.size >= MAX_ENTRIES) this.entries.clear();
    this.entries.set(key, { value, until: now + TTL_MS });
  }
}

export interface ResolvedAgent {
  readonly agentId: number;
  readonly teamId: number | null;
}

export class AgentDirectory {
  private readonly teams = new ExpiringMap<number>();
  /** By external id, with the facts last written, so a trigger with other facts writes again. */
  private readonly agents = new ExpiringMap<{ fingerprint: string; resolved: ResolvedAgent }>();

  async resolve(trx: Knex.Transaction, ctx: BatchContext, agent: AgentFacts, team: string | null, now: number): Promise<ResolvedAgent> {
    const teamId = team === null ? null : await this.teamId(trx, ctx, team, now);
    const fingerprint = JSON.stringify([agent.name, agent.email, teamId]);
    const known = this.agents.get(agent.externalId, now);
    if (known?.fingerprint === fingerprint) return known.resolved;
    const row = await upsertAgent(trx, agent, teamId, now);
    const resolved = { agentId: row.id, teamId: row.teamId };
    ctx.afterCommit(() => this.agents.set(agent.externalId, { fingerprint, resolved }, now));
    return resolved;
  }

  private async teamId(trx: Knex.Transaction, ctx: BatchContext, name: string, now: number): Promise<number> {
    const known = this.teams.get(name, now);
    if (known !== undefined) return known;
    const id = await upsertTeam(trx, name, now);
    ctx.afterCommit(() => this.teams.set(name, id, now));
    return id;
  }
}
