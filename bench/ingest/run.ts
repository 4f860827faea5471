/**
 * bench/ingest: POST /api/v1/interactions with unique triggers at 50 connections, against bare Express
 * parsing the same body, both measured in this run. Rapport runs compiled (dist/) on a fresh SQLite file.
 * A second reference, one knex INSERT per request (one-insert-server.cjs), shows what a single durable
 * write per request costs on the machine at hand.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import sqlite3 from 'sqlite3';
import { load, loadInRounds, medianOfRounds, ROOT, startNode, tempDir, type LoadResult, type Proc, type RoundsMedian } from '../lib';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const runId = Date.now().toString(36);
let seq = 0;

function trigger(): string {
  seq += 1;
  const closed = Date.now() - 60_000;
  return JSON.stringify({
    external_id: `B-${runId}-${seq}`,
    source: 'bench',
    channel: ['chat', 'email', 'phone'][seq % 3],
    opened_at: new Date(closed - 1_800_000).toISOString(),
    first_response_at: new Date(closed - 1_700_000).toISOString(),
    closed_at: new Date(closed).toISOString(),
    contacts: 1 + (seq % 2),
    agent: { external_id: `a-${seq % 200}`, name: `Agent ${seq % 200}`, email: `agent${seq % 200}@example.com`, team: `Tier ${(seq % 200) % 3}` },
    customer: { email: `customer-${runId}-${seq}@example.org`, name: 'Carla', locale: 'es', external_id: `c-${seq}` },
    survey: { send: true },
    metadata: { ticket_url: `https://helpdesk.example.com/T-${seq}` },
  });
}

/**
 * Stops rollup upkeep in a running server's SQLite database: writers skip the rollups while their setting
 * is absent and the database already holds interactions (see kpis/update-rollups.ts), so this measures
 * the write path without rollups at the cost of one settings read a batch.
 */
export function dropRollupSetting(dataDir: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const db = new sqlite3.Database(path.join(dataDir, 'rapport.sqlite'), (openError) => {
      if (openError) return reject(openError);
      db.configure('busyTimeout', 5000);
      db.run("delete from settings where key = 'kpi_rollups'", (error) => db.close(() => (error ? reject(error) : resolve())));
    });
  });
}

/** One round: each server loaded in turn, for SECONDS each. */
export interface IngestRound {
  readonly bare: LoadResult;
  readonly oneInsert: LoadResult | null;
  readonly rapport: LoadResult;
}

export interface IngestRun extends RoundsMedian {
  readonly rounds: readonly IngestRound[];
}

/** Bare Express, the one-INSERT reference and Rapport, loaded in rounds (loadInRounds); the median round stands for the run. */
export async function benchIngest(
  extraEnv: Record<string, string> = {},
  label = 'Rapport POST /api/v1/interactions (SQLite)',
  runOptions: { withoutRollups?: boolean } = {},
): Promise<IngestRun> {
  const dataDir = tempDir('rapport-bench-ingest-');
  const env = { DATA_DIR: dataDir, API_RATE_LIMIT_PER_MINUTE: '0', LOG_LEVEL: 'info', ...extraEnv };
  const cli = path.join(ROOT, 'dist/src/cli/main.js');
  const keyOut = execFileSync(process.execPath, [cli, 'api-key', 'create', '--name', 'bench'], { env: { ...process.env, ...env }, encoding: 'utf8' });
  const key = keyOut.trim().split('\n').at(-1) as string;
  const servers: Proc[] = [];
  try {
    const start = async (args: string[], serverEnv: Record<string, string>): Promise<Proc> => {
      const server = await startNode(args, serverEnv);
      servers.push(server);
      return server;
    };
    const bareServer = await start([path.join(ROOT, 'bench/ingest/bare-server.cjs')], {});
    const oneInsertServer = runOptions.withoutRollups ? null : await start([path.join(ROOT, 'bench/ingest/one-insert-server.cjs')], {});
    const rapportServer = await start([cli, 'serve'], env);
    const post = (server: Proc, variant: string, headers: Record<string, string> = {}) => ({
      label: variant,
      url: `${server.url}/api/v1/interactions`,
      method: 'POST' as const,
      headers: { 'content-type': 'application/json', ...headers },
      body: trigger,
      seconds: SECONDS,
    });
    const bare = post(bareServer, 'bare Express 5 + express.json()');
    const oneInsert = oneInsertServer && post(oneInsertServer, 'reference: + one knex INSERT per request, SQLite');
    const rapport = post(rapportServer, label, { authorization: `Bearer ${key}` });
    // Warm-ups, discarded. The first load after a start is the slowest (JIT, page cache): Rapport's is longer.
    await load({ ...bare, seconds: 5 });
    if (oneInsert) await load({ ...oneInsert, seconds: 5 });
    await load({ ...rapport, seconds: 10 });
    if (runOptions.withoutRollups) await dropRollupSetting(dataDir);
    const rounds = (await loadInRounds(oneInsert ? [bare, oneInsert, rapport] : [bare, rapport])).map((r): IngestRound => ({
      bare: r[0] as LoadResult,
      oneInsert: oneInsert ? (r[1] as LoadResult) : null,
      rapport: r.at(-1) as LoadResult,
    }));
    return { rounds, ...medianOfRounds(rounds) };
  } finally {
    await Promise.all(servers.map((s) => s.stop()));
  }
}

/** The run round by round, then the medians the targets are read from. */
export function printIngest(title: string, run: IngestRun): void {
  console.log(`\n## ${title}`);
  console.log('| round | bare req/s | bare p50 / p99 ms | one INSERT req/s (vs bare) | Rapport req/s | vs bare | Rapport p50 / p99 / max ms | non-2xx | errors |');
  console.log('|---|---|---|---|---|---|---|---|---|');
  run.rounds.forEach(({ bare, oneInsert, rapport }, i) => {
    const reference = oneInsert ? `${Math.round(oneInsert.rps)} (${(oneInsert.rps / bare.rps).toFixed(2)})` : '—';
    const failed = (r: LoadResult | null) => (r ? r.non2xx : 0);
    console.log(
      `| ${i + 1} | ${Math.round(bare.rps)} | ${bare.p50} / ${bare.p99} | ${reference} | ${Math.round(rapport.rps)} | ${(rapport.rps / bare.rps).toFixed(2)} | ${rapport.p50} / ${rapport.p99} / ${rapport.max} | ${failed(bare) + failed(oneInsert) + failed(rapport)} | ${bare.errors + (oneInsert?.errors ?? 0) + rapport.errors} |`,
    );
  });
  console.log(`\nmedian of ${run.rounds.length} rounds: ${run.ratio.toFixed(2)} of bare, p99 ${run.p99} ms (bare Express's own p99 ${run.bareP99} ms)`);
}

if (require.main === module) {
  void benchIngest().then((run) => {
    printIngest(`ingest: ${SECONDS} s at 50 connections, unique triggers, ${run.rounds.length} rounds`, run);
    const met = run.ratio >= 0.3 && run.p99 < 50;
    console.log(`target: ≥ 0.30 of bare throughput and p99 < 50 ms → ${run.ratio.toFixed(2)}, p99 ${run.p99} ms: ${met ? 'met' : 'NOT met'}`);
  });
}
