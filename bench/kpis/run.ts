/**
 * bench/kpis: GET /api/v1/kpis from the rollups on a SQLite demo of a year (200 agents, 6 channels),
 * `group_by=agent,channel` over 90 days and `group_by=week` over 365 days, 50 sequential requests each
 * (p50/p99), against one aggregate SQL query over the raw rows in the same run (see raw-baseline.ts).
 * Then the rollups' cost on the write path: bench/ingest with and without rollup maintenance.
 *
 * The demo database is built once by `rapport demo` and cached under the temp dir, keyed by its
 * parameters (BENCH_KPI_INTERACTIONS, default 3,700,000: about 1,000,000 answered surveys at the demo's
 * ~27 % answer rate per interaction).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { median, ROOT, startNode } from '../lib';
import { BY_AGENT_CHANNEL, BY_WEEK, timeRawQuery } from './raw-baseline';

const INTERACTIONS = Number(process.env.BENCH_KPI_INTERACTIONS ?? 3_700_000);
const DAYS = 365;
const AGENTS = 200;
const REQUESTS = 50;
const RAW_RUNS = Number(process.env.BENCH_KPI_RAW_RUNS ?? 5);
const CLI = path.join(ROOT, 'dist/src/cli/main.js');
const DAY_MS = 86_400_000;

/** One timed query: latencies over the requests, and the raw baseline's. */
export interface KpiTiming {
  readonly label: string;
  /** The first request after the server started: nothing of the rollups in memory yet. */
  readonly first: number;
  readonly p50: number;
  readonly p99: number;
  readonly rawP50: number;
  readonly groups: number;
}

/** The cached demo database for these parameters, loading it first when missing. */
function demoDatabase(): { dataDir: string; file: string } {
  const dataDir = path.join(os.tmpdir(), `rapport-bench-kpis-${INTERACTIONS}-${DAYS}-${AGENTS}-seed1`);
  const file = path.join(dataDir, 'rapport.sqlite');
  if (!fs.existsSync(path.join(dataDir, 'loaded'))) {
    fs.rmSync(dataDir, { recursive: true, force: true });
    console.log(`loading the demo into ${dataDir} (once; minutes)…`);
    execFileSync(process.execPath, [CLI, 'demo', '--interactions', String(INTERACTIONS), '--days', String(DAYS), '--agents', String(AGENTS), '--seed', '1'], {
      env: { ...process.env, DATA_DIR: dataDir, REPORT_TIMEZONE: 'UTC', LOG_LEVEL: 'warn' },
      stdio: 'inherit',
    });
    fs.writeFileSync(path.join(dataDir, 'loaded'), new Date().toISOString());
  }
  return { dataDir, file };
}

const percentile = (sorted: readonly number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)] as number;
const isoDay = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

/**
 * Times the query: the first request (cold), 4 more warm-ups, then REQUESTS measured ones. `before`, when
 * given, runs ahead of each measured request, untimed.
 */
async function timeApi(url: string, key: string, before?: () => Promise<void>): Promise<{ first: number; latencies: number[]; groups: number }> {
  let groups = 0;
  // Timed to the last byte of the answer, over node:http with keep-alive (fetch's web streams add several
  // ms of client work for a 900 KB body); parsing the JSON is the client's work and happens after.
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const get = (): Promise<{ status: number; text: string }> =>
    new Promise((resolve, reject) => {
      const req = http.get(url, { agent, headers: { authorization: `Bearer ${key}` } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      });
      req.on('error', reject);
    });
  const once = async (): Promise<number> => {
    const started = performance.now();
    const { status, text } = await get();
    const elapsed = performance.now() - started;
    if (status !== 200) throw new Error(`${url}: ${status} ${text}`);
    groups = ((JSON.parse(text) as { groups?: unknown[] }).groups ?? []).length;
    return elapsed;
  };
  const first = await once();
  for (let i = 0; i < 4; i++) await once(); // warm-up, discarded
  const latencies: number[] = [];
  for (let i = 0; i < REQUESTS; i++) {
    if (before) await before();
    latencies.push(await once());
  }
  agent.destroy();
  return { first, latencies: latencies.sort((a, b) => a - b), groups };
}

let triggerSeq = 0;
// An agent the demo created, so the trigger adds to existing groups instead of making new ones.
const DEMO_AGENT = 'demo-1-agent-1';

/** Reports one interaction closed a minute ago: today's day, week and month rollups move. */
async function postTrigger(serverUrl: string, key: string): Promise<void> {
  triggerSeq += 1;
  const closed = Date.now() - 60_000;
  const res = await fetch(`${serverUrl}/api/v1/interactions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      external_id: `KB-${process.pid}-${triggerSeq}`,
      source: 'bench',
      channel: 'chat',
      opened_at: new Date(closed - 600_000).toISOString(),
      closed_at: new Date(closed).toISOString(),
      contacts: 1,
      agent: { external_id: DEMO_AGENT },
      survey: { send: false },
    }),
  });
  if (res.status !== 201) throw new Error(`trigger: ${res.status} ${await res.text()}`);
}

export async function benchKpis(): Promise<KpiTiming[]> {
  const { dataDir, file } = demoDatabase();
  const env = { DATA_DIR: dataDir, REPORT_TIMEZONE: 'UTC', API_RATE_LIMIT_PER_MINUTE: '0', LOG_LEVEL: 'warn' };
  const keyOut = execFileSync(process.execPath, [CLI, 'api-key', 'create', '--name', 'bench-kpis'], { env: { ...process.env, ...env }, encoding: 'utf8' });
  const key = keyOut.trim().split('\n').at(-1) as string;
  const today = isoDay(Date.now());
  const byAgentChannel = { label: 'group_by=agent,channel, 90 days', from: isoDay(Date.now() - 89 * DAY_MS), groupBy: 'agent,channel', sql: BY_AGENT_CHANNEL };
  const cases: { label: string; from: string; groupBy: string; sql: string; between?: () => Promise<void> }[] = [
    byAgentChannel,
    { label: 'group_by=week, 365 days', from: isoDay(Date.now() - 364 * DAY_MS), groupBy: 'week', sql: BY_WEEK },
  ];
  const server = await startNode([CLI, 'serve', '--no-worker'], env);
  const results: KpiTiming[] = [];
  try {
    cases.push({ ...byAgentChannel, label: `${byAgentChannel.label}, each request after a new trigger (today's periods read again)`, between: () => postTrigger(server.url, key) });
    for (const c of cases) {
      const { first, latencies, groups } = await timeApi(`${server.url}/api/v1/kpis?from=${c.from}&to=${today}&group_by=${c.groupBy}`, key, c.between);
      const start = Date.parse(`${c.from}T00:00:00Z`);
      const end = Date.parse(`${today}T00:00:00Z`) + DAY_MS;
      const raw: number[] = [];
      for (let i = 0; i < RAW_RUNS; i++) raw.push((await timeRawQuery(file, c.sql, start, end)).ms);
      results.push({ label: c.label, first, p50: percentile(latencies, 0.5), p99: percentile(latencies, 0.99), rawP50: median(raw), groups });
    }
  } finally {
    await server.stop();
  }
  return results;
}

/** Prints the KPI timings as a markdown table. */
export function printKpiTable(results: readonly KpiTiming[]): void {
  console.log(`\n## kpis: GET /api/v1/kpis on ${INTERACTIONS.toLocaleString('en-US')} demo interactions, ${REQUESTS} sequential requests`);
  console.log('| query | groups | first request ms | p50 ms | p99 ms | raw SQL p50 ms | raw ÷ rollups (p50) |');
  console.log('|---|---|---|---|---|---|---|');
  for (const r of results) console.log(`| ${r.label} | ${r.groups} | ${r.first.toFixed(0)} | ${r.p50.toFixed(1)} | ${r.p99.toFixed(1)} | ${r.rawP50.toFixed(0)} | ${(r.rawP50 / r.p50).toFixed(0)}× |`);
}

if (require.main === module) {
  void benchKpis().then((results) => {
    printKpiTable(results);
    const first = results[0];
    if (first) console.log(`\ntarget: agent,channel p50 ≤ 25 ms and ≥ 10× the raw query → ${first.p50.toFixed(1)} ms, ${(first.rawP50 / first.p50).toFixed(0)}×: ${first.p50 <= 25 && first.rawP50 / first.p50 >= 10 ? 'met' : 'NOT met'}`);
  });
}
