/**
 * The demo's people: teams, agents with a hidden skill that moves their scores and speed, and how
 * customers are named. Identifiers carry the seed so that demos loaded with different seeds coexist
 * (agent external ids and customer emails are unique columns).
 */
import { AGENT_FIRST_NAMES, AGENT_LAST_NAMES, CUSTOMER_FIRST_NAMES, TEAMS } from './catalog';
import type { DemoLocale } from './comments';
import { allocate } from './demo-calendar';
import { clamp, logNormal, normal, pick, type Random } from './random';

/** One demo agent. */
export interface DemoAgent {
  /** External id, e.g. `demo-1-agent-7`. */
  readonly externalId: string;
  readonly name: string;
  readonly firstName: string;
  readonly email: string;
  /** Index into the team list. */
  readonly team: number;
  /** Standard-normal talent: shifts answers up, times down, first-contact resolution up. */
  readonly skill: number;
  /** Relative share of the interactions the agent handles. */
  readonly load: number;
}

/** A customer as first seen. */
export interface DemoCustomer {
  /** Position in the demo's customer list (stable for a seed). */
  readonly index: number;
  readonly email: string;
  readonly name: string;
  readonly locale: DemoLocale;
}

/** Agents for a demo of `interactions`: one per 5,000 (200 for 1,000,000), at least 8 so every team is staffed. */
export function defaultAgentCount(interactions: number): number {
  return clamp(Math.round(interactions / 5000), 8, 1000);
}

/** The external id of the seed's k-th agent (1-based); the loader also uses it to detect an earlier load. */
export function demoAgentExternalId(seed: number, k: number): string {
  return `demo-${seed}-agent-${k}`;
}

/**
 * The seed's k-th customer email (0-based index). The default seed keeps the plain `customer123@example.com`;
 * other seeds add a `+s<seed>` tag so their customers don't collide with it.
 */
export function demoCustomerEmail(seed: number, index: number): string {
  return `customer${index + 1}${seed === 1 ? '' : `+s${seed}`}@example.com`;
}

const asciiLower = (s: string): string => s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();

/** Team names and `count` agents spread over the teams by their share, each with a distinct name. */
export function buildAgents(rng: Random, seed: number, count: number): DemoAgent[] {
  const perTeam = allocate(count, TEAMS.map((t) => t.agentShare));
  const teamOf = perTeam.flatMap((n, team) => Array.from({ length: n }, () => team));
  // Every first/last name pair once, in a seeded order; beyond them a number keeps names distinct.
  const pairs = AGENT_FIRST_NAMES.flatMap((first) => AGENT_LAST_NAMES.map((last) => [first, last] as const));
  for (let i = pairs.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [pairs[i], pairs[j]] = [pairs[j] as (typeof pairs)[number], pairs[i] as (typeof pairs)[number]];
  }
  // Skills are centred so that the team as a whole scores alike whatever the seed or the agent count;
  // only the spread between agents is left to chance.
  const raw = teamOf.map(() => normal(rng));
  const mean = raw.reduce((a, b) => a + b, 0) / Math.max(1, raw.length);
  return teamOf.map((team, i) => {
    const [first, last] = pairs[i % pairs.length] as (typeof pairs)[number];
    const round = Math.floor(i / pairs.length);
    const name = round === 0 ? `${first} ${last}` : `${first} ${last} ${round + 1}`;
    return {
      externalId: demoAgentExternalId(seed, i + 1),
      name,
      firstName: first,
      email: `${asciiLower(`${first}.${last}`).replace(/[^a-z.]/g, '')}${round === 0 ? '' : round + 1}@support.example.com`,
      team,
      skill: clamp((raw[i] as number) - mean, -2.5, 2.5),
      load: logNormal(rng, 1, 0.3),
    };
  });
}

/** A new customer's name ("Carla M.") in their language. */
export function customerName(rng: Random, locale: DemoLocale): string {
  return `${pick(rng, CUSTOMER_FIRST_NAMES[locale])} ${String.fromCharCode(65 + Math.floor(rng() * 26))}.`;
}
