/**
 * The demo as pure data: teams, agents, and a stream of interactions in closing order, each with its
 * customer (on first sight), times, survey decision and answers. Seeded and clock-free: the same plan
 * gives the same demo. Ids are left to the loader, which draws them from node:crypto (a 32-bit seed
 * cannot give a million distinct UUIDs).
 */
import { CHANNELS, PRIORITIES, TEAMS, TOPICS, type ChannelProfile, type TeamProfile } from './catalog';
import type { DemoLocale } from './comments';
import { customerCapacity, DemoCustomers } from './demo-customers';
import { allocate, closeTimes, demoDays } from './demo-calendar';
import { buildAgents, defaultAgentCount, type DemoAgent, type DemoCustomer } from './demo-directory';
import { sentSurvey, type DemoResponse, type SentSurvey } from './demo-survey';
import { clamp, cumulative, logNormal, mulberry32, normal, pick, pickIndex, type Random } from './random';

export type { DemoResponse, SentSurvey };

const DAY_MS = 86_400_000;

/** What to generate. */
export interface DemoPlan {
  readonly interactions: number;
  readonly days: number;
  readonly seed: number;
  /** The demo ends here (epoch ms). */
  readonly now: number;
  /** IANA zone in which days (and office hours) are cut; default UTC. */
  readonly timeZone?: string;
  /** Survey policy the demo pretends ran; defaults as in the contract (600 s, 30 days, 7 days). */
  readonly delaySeconds?: number;
  readonly expiryDays?: number;
  readonly throttleDays?: number;
  /** Default: `defaultAgentCount(interactions)`. */
  readonly agents?: number;
}

/** The survey decision: sent (expired once its window closed), or suppressed with the contract's reason. */
export type DemoSurvey = SentSurvey | { readonly status: 'suppressed'; readonly reason: 'throttled' | 'not_requested' };

/** One closed interaction. */
export interface DemoInteraction {
  /** 1-based, in closing order. */
  readonly n: number;
  readonly externalId: string;
  readonly channel: string;
  /** Index into `agents`. */
  readonly agent: number;
  /** Index into `teams`. */
  readonly team: number;
  /** Customer index; `newCustomer` is set the first time it appears. */
  readonly customer: number;
  readonly newCustomer: DemoCustomer | null;
  /** The customer's language (surveys and answers use it). */
  readonly locale: DemoLocale;
  readonly openedAt: number;
  readonly firstResponseAt: number;
  readonly closedAt: number;
  readonly contacts: number;
  readonly metadata: { readonly ticket_url: string; readonly topic: string; readonly priority: string };
  readonly survey: DemoSurvey;
}

export interface DemoModel {
  readonly teams: readonly string[];
  readonly agents: readonly DemoAgent[];
  /** Customer indices stay below this. */
  readonly customerCapacity: number;
  /** Midnight starting the oldest day: the directory's creation time. */
  readonly startsAt: number;
  /** A fresh, identical stream on every call. */
  interactions(): Generator<DemoInteraction>;
}

/** The external id of the seed's n-th interaction; (source `demo`, external id) is unique per seed. */
export function demoExternalId(seed: number, n: number): string {
  return `demo-${seed}-${n}`;
}

/** Share of surveys suppressed; throttling comes first and `not_requested` tops it up (tickets marked "no survey"). */
const SUPPRESSED_SHARE = 0.1;

/** The demo for a plan: its directory now, its interactions as a lazily generated stream. */
export function createDemoModel(plan: DemoPlan): DemoModel {
  const agents = buildAgents(mulberry32(plan.seed), plan.seed, plan.agents ?? defaultAgentCount(plan.interactions));
  const startsAt = demoDays(plan.now, plan.days, plan.timeZone ?? 'UTC')[0]?.start ?? plan.now;
  return {
    teams: TEAMS.map((t) => t.name),
    agents,
    customerCapacity: customerCapacity(plan.interactions),
    startsAt,
    interactions: () => generate(plan, agents),
  };
}

/** How long the case took and how many contacts it needed; slower and less first-contact in an incident. */
function handling(rng: Random, channel: ChannelProfile, team: TeamProfile, agent: DemoAgent, incident: boolean) {
  const pace = team.pace * (1 - 0.12 * agent.skill) * (incident ? 1.7 : 1);
  const firstContact = rng() < clamp(channel.firstContactRate + team.firstContactShift + 0.04 * agent.skill - (incident ? 0.1 : 0), 0.3, 0.97);
  const contacts = firstContact ? 1 : rng() < 0.72 ? 2 : 3;
  const firstResponseMs = Math.round(1000 * Math.max(5, logNormal(rng, channel.firstResponseMedian * pace, channel.sigma)));
  // Work after the first response; each extra contact adds most of another round.
  const workMs = Math.round(1000 * Math.max(30, logNormal(rng, channel.workMedian * pace * (1 + 0.8 * (contacts - 1)), channel.sigma)));
  const slowness = Math.log2((firstResponseMs + workMs) / 1000 / (channel.firstResponseMedian + channel.workMedian));
  return { contacts, firstResponseMs, workMs, slowness };
}

function* generate(plan: DemoPlan, agents: readonly DemoAgent[]): Generator<DemoInteraction> {
  const { seed, now, days } = plan;
  const delayMs = (plan.delaySeconds ?? 600) * 1000;
  const expiryMs = (plan.expiryDays ?? 30) * DAY_MS;
  // A separate stream from the agents' so that changing the agent count leaves the calendar alone.
  const rng = mulberry32(plan.seed ^ 0x5bd1e995);
  const channelTotals = cumulative(CHANNELS.map((c) => c.share));
  const agentTotals = cumulative(agents.map((a) => a.load));
  const priorityTotals = cumulative(PRIORITIES.map((p) => p.share));
  const customers = new DemoCustomers(seed, plan.interactions, (plan.throttleDays ?? 7) * DAY_MS);

  // A three-day incident past the middle of longer demos (slow answers, unhappy customers, more tickets)
  // gives the charts something to explain.
  const incidentFrom = days >= 21 ? Math.floor(days * 0.6) : -1;
  const inIncident = (d: number): boolean => incidentFrom >= 0 && d >= incidentFrom && d < incidentFrom + 3;
  const calendar = demoDays(now, days, plan.timeZone ?? 'UTC');
  const growth = (d: number): number => 0.92 + (0.16 * d) / Math.max(1, days - 1);
  const counts = allocate(plan.interactions, calendar.map((day) => day.weight * growth(day.index) * (inIncident(day.index) ? 1.35 : 1)));

  let n = 0;
  let throttled = 0;
  for (const day of calendar) {
    const incident = inIncident(day.index);
    const progress = day.index / Math.max(1, days - 1);
    for (const closedAt of closeTimes(rng, day, counts[day.index] as number)) {
      n += 1;
      const channel = CHANNELS[pickIndex(rng, channelTotals)] as ChannelProfile;
      const agentIndex = pickIndex(rng, agentTotals);
      const agent = agents[agentIndex] as DemoAgent;
      const team = TEAMS[agent.team] as TeamProfile;
      const sendAt = Math.min(closedAt + delayMs, now);
      const customer = customers.choose(rng, sendAt);
      const { contacts, firstResponseMs, workMs, slowness } = handling(rng, channel, team, agent, incident);
      // Latent satisfaction: who helped, how, how fast, a slow improvement over the period, and chance.
      const satisfaction =
        1.3 + channel.mood + team.mood + 0.38 * agent.skill + 0.2 * (progress - 0.5) - (incident ? 0.6 : 0) - 0.45 * (contacts - 1) - 0.18 * clamp(slowness, -1.5, 3) + normal(rng);

      let survey: DemoSurvey;
      const throttledShare = n > 1 ? throttled / (n - 1) : 0;
      if (customers.throttled(customer.index, sendAt)) {
        throttled += 1;
        survey = { status: 'suppressed', reason: 'throttled' };
      } else if (rng() < Math.max(0, (SUPPRESSED_SHARE - throttledShare) / (1 - throttledShare))) {
        survey = { status: 'suppressed', reason: 'not_requested' };
      } else {
        customers.surveyed(customer.index, sendAt);
        const { responsiveness, effort } = channel;
        survey = sentSurvey(rng, { sendAt, now, expiryMs, satisfaction, responsiveness, effort, locale: customer.locale, agentFirstName: agent.firstName });
      }

      const externalId = demoExternalId(seed, n);
      const firstResponseAt = closedAt - workMs;
      yield {
        n,
        externalId,
        channel: channel.slug,
        agent: agentIndex,
        team: agent.team,
        customer: customer.index,
        newCustomer: customer.fresh,
        locale: customer.locale,
        openedAt: firstResponseAt - firstResponseMs,
        firstResponseAt,
        closedAt,
        contacts,
        metadata: { ticket_url: `https://helpdesk.example.com/tickets/${externalId}`, topic: pick(rng, TOPICS), priority: (PRIORITIES[pickIndex(rng, priorityTotals)] as (typeof PRIORITIES)[number]).value },
        survey,
      };
    }
  }
}
