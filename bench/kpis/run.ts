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

async function timeApi(url: string, key: string): Promise<{ latencies: number[]; groups: number }> {
  let groups = 0;
  const once = async (): Promise<number> => {
    const started = performance.now();
    const res = await fetch(url, { headers: { authorization: `Bearer ${key}` } });
    const body = (await res.json()) as { groups?: unknown[] };
    if (!res.ok) throw new Error(`${url}: ${res.status} ${JSON.stringify(body)}`);
    groups = body.groups?.length ?? 0;
    return performance.now() - started;
  };
  for (let i = 0; i < 5; i++) await once(); // warm-up, discarded
  const latencies: number[] = [];
  for (let i = 0; i < REQUESTS; i++) latencies.push(await once());
  return { latencies: latencies.sort((a, b) => a - b), groups };
}

export async function benchKpis(): Promise<KpiTiming[]> {
  const { dataDir, file } = demoDatabase();
  const env = { DATA_DIR: dataDir, REPORT_TIMEZONE: 'UTC', API_RATE_LIMIT_PER_MINUTE: '0', LOG_LEVEL: 'warn' };
  const keyOut = execFileSync(process.execPath, [CLI, 'api-key', 'create', '--name', 'bench-kpis'], { env: { ...process.env, ...env }, encoding: 'utf8' });
  const key = keyOut.trim().split('\n').at(-1) as string;
  const today = isoDay(Date.now());
  const cases = [
    { label: 'group_by=agent,channel, 90 days', from: isoDay(Date.now() - 89 * DAY_MS), groupBy: 'agent,channel', sql: BY_AGENT_CHANNEL },
    { label: 'group_by=week, 365 days', from: isoDay(Date.now() - 364 * DAY_MS), groupBy: 'week', sql: BY_WEEK },
  ];
  const server = await startNode([CLI, 'serve', '--no-worker'], env);
  const results: KpiTiming[] = [];
  try {
    for (const c of cases) {
      const { latencies, groups } = await timeApi(`${server.url}/api/v1/kpis?from=${c.from}&to=${today}&group_by=${c.groupBy}`, key);
      const start = Date.parse(`${c.from}T00:00:00Z`);
      const end = Date.parse(`${today}T00:00:00Z`) + DAY_MS;
      const raw: number[] = [];
      for (let i = 0; i < RAW_RUNS; i++) raw.push((await timeRawQuery(file, c.sql, start, end)).ms);
      results.push({ label: c.label, p50: percentile(latencies, 0.5), p99: percentile(latencies, 0.99), rawP50: median(raw), groups });
    }
  } finally {
    await server.stop();
  }
  return results;
}

/** Prints the KPI timings as a markdown table. */
export function printKpiTable(results: readonly KpiTiming[]): void {
  console.log(`\n## kpis: GET /api/v1/kpis on ${INTERACTIONS.toLocaleString('en-US')} demo interactions, ${REQUESTS} sequential requests`);
  console.log('| query | groups | p50 ms | p99 ms | raw SQL p50 ms | raw ÷ rollups (p50) |');
  console.log('|---|---|---|---|---|---|');
  for (const r of results) console.log(`| ${r.label} | ${r.groups} | ${r.p50.toFixed(1)} | ${r.p99.toFixed(1)} | ${r.rawP50.toFixed(0)} | ${(r.rawP50 / r.p50).toFixed(0)}× |`);
}

if (require.main === module) {
  void benchKpis().then((results) => {
    printKpiTable(results);
    const first = results[0];
    if (first) console.log(`\ntarget: agent,channel p50 ≤ 25 ms and ≥ 10× the raw query → ${first.p50.toFixed(1)} ms, ${(first.rawP50 / first.p50).toFixed(0)}×: ${first.p50 <= 25 && first.rawP50 / first.p50 >= 10 ? 'met' : 'NOT met'}`);
  });
}
