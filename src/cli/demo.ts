/** `rapport demo [--interactions N] [--days D] [--seed S] [--agents A]`: fills the database with a realistic demo ending now. */
import { migrateLatest } from '../db/knex';
import { DemoAlreadyLoaded, defaultAgentCount, loadDemo, type DemoProgress } from '../demo';
import { UsageError } from './accounts';
import { closeRuntime, openRuntime } from './runtime';

const LIMITS = {
  interactions: { min: 1, max: 5_000_000, fallback: 20_000 },
  days: { min: 1, max: 3650, fallback: 90 },
  seed: { min: 0, max: 2_147_483_647, fallback: 1 },
  agents: { min: 1, max: 10_000, fallback: 0 },
} as const;

type DemoArgs = { interactions?: string; days?: string; seed?: string; agents?: string };

const grouped = (n: number): string => n.toLocaleString('en-US');
const count = (n: number, one: string, many = `${one}s`): string => `${grouped(n)} ${n === 1 ? one : many}`;

/** A whole number within the option's range, or its default when absent; UsageError otherwise. */
function wholeNumber(args: DemoArgs, name: keyof typeof LIMITS): number {
  const { min, max, fallback } = LIMITS[name];
  const raw = args[name];
  if (raw === undefined) return fallback;
  const value = /^\d+$/.test(raw.trim()) ? Number(raw.trim()) : NaN;
  if (!(value >= min && value <= max)) throw new UsageError(`--${name} must be a whole number from ${grouped(min)} to ${grouped(max)}`);
  return value;
}

/** Prints a progress line roughly every tenth of the load (and at the end). */
function progressPrinter(total: number): (p: DemoProgress) => void {
  const step = Math.max(1, Math.ceil(total / 10));
  let next = step;
  return (p) => {
    if (p.interactions < next && p.interactions < total) return;
    while (next <= p.interactions) next += step;
    const pct = Math.floor((100 * p.interactions) / total);
    console.log(`  ${grouped(p.interactions)} / ${count(total, 'interaction')} (${pct}%), ${count(p.surveysSent, 'survey')} sent, ${count(p.responses, 'response')}`);
  };
}

/** Validates the options, applies migrations and loads the demo, printing progress and a summary. */
export async function runDemo(args: DemoArgs, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const interactions = wholeNumber(args, 'interactions');
  const days = wholeNumber(args, 'days');
  const seed = wholeNumber(args, 'seed');
  // 0 stands for "not given": the demo then staffs one agent per 5,000 interactions.
  const agents = wholeNumber(args, 'agents') || defaultAgentCount(interactions);
  const rt = openRuntime(env);
  try {
    await migrateLatest(rt.db);
    const { config } = rt;
    console.log(`Loading a demo of ${count(interactions, 'interaction')} over ${count(days, 'day')} (seed ${seed}, ${count(agents, 'agent')})…`);
    const started = performance.now();
    const summary = await loadDemo(
      rt.db,
      {
        interactions,
        days,
        seed,
        agents,
        now: rt.clock(),
        timeZone: config.reportTimezone,
        delaySeconds: config.surveyDelaySeconds,
        expiryDays: config.surveyExpiryDays,
        throttleDays: config.surveyThrottleDays,
      },
      progressPrinter(interactions),
    );
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    console.log(
      `Loaded ${count(summary.interactions, 'interaction')}, ${count(summary.surveysSent, 'survey')} sent, ${count(summary.responses, 'response')} ` +
        `(${count(summary.customers, 'customer')}, ${count(summary.agents, 'agent')} in ${count(summary.teams, 'team')}) in ${seconds} s.`,
    );
    console.log(`KPI rollups rebuilt: ${count(summary.rollupRows, 'row')}.`);
  } catch (error) {
    // main prints a UsageError as one line, without a stack trace.
    if (error instanceof DemoAlreadyLoaded) throw new UsageError(error.message);
    throw error;
  } finally {
    await closeRuntime(rt);
  }
}
