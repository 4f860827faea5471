/** The agents and teams the filter forms offer, and agents' display names for tables. */
import type { Db } from '../db/knex';

export interface AgentOption {
  readonly externalId: string;
  readonly name: string | null;
}

export interface FilterOptions {
  readonly agents: readonly AgentOption[];
  readonly teams: readonly string[];
}

export async function filterOptions(db: Db): Promise<FilterOptions> {
  const [agents, teams] = await Promise.all([
    db('agents').select('external_id', 'name').orderByRaw('coalesce(name, external_id)') as Promise<{ external_id: string; name: string | null }[]>,
    db('teams').select('name').orderBy('name') as Promise<{ name: string }[]>,
  ]);
  return { agents: agents.map((a) => ({ externalId: a.external_id, name: a.name })), teams: teams.map((t) => t.name) };
}

/** "Ana Ruiz (a-17)", or the external id alone when no name is known. */
export function agentLabel(options: FilterOptions, externalId: string): string {
  const name = options.agents.find((a) => a.externalId === externalId)?.name;
  return name ? `${name} (${externalId})` : externalId;
}
