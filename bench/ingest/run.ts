/**
 * bench/ingest: POST /api/v1/interactions with unique triggers at 50 connections, against bare Express
 * parsing the same body, both measured in this run. Rapport runs compiled (dist/) on a fresh SQLite file.
 * A second reference, one knex INSERT per request (one-insert-server.cjs), shows what a single durable
 * write per request costs on the machine at hand.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import sqlite3 from 'sqlite3';
import { load, printTable, ROOT, startNode, tempDir, warmThenLoad, type LoadResult } from '../lib';

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

export async function benchIngest(
  extraEnv: Record<string, string> = {},
  label = 'Rapport POST /api/v1/interactions (SQLite)',
  runOptions: { withoutRollups?: boolean } = {},
): Promise<{ bare: LoadResult; oneInsert: LoadResult | null; rapport: LoadResult }> {
  const bare = await loadReference('bare-server.cjs', 'bare Express 5 + express.json()');
  const oneInsert = runOptions.withoutRollups ? null : await loadReference('one-insert-server.cjs', 'reference: + one knex INSERT per request, SQLite');

  const dataDir = tempDir('rapport-bench-ingest-');
  const env = { DATA_DIR: dataDir, API_RATE_LIMIT_PER_MINUTE: '0', LOG_LEVEL: 'info', ...extraEnv };
  const cli = path.join(ROOT, 'dist/src/cli/main.js');
  const keyOut = execFileSync(process.execPath, [cli, 'api-key', 'create', '--name', 'bench'], { env: { ...process.env, ...env }, encoding: 'utf8' });
  const key = keyOut.trim().split('\n').at(-1) as string;
  const server = await startNode([cli, 'serve'], env);
  let rapport: LoadResult;
  try {
    const options = { label, url: `${server.url}/api/v1/interactions`, method: 'POST' as const, headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` }, body: trigger, seconds: SECONDS };
    // The first run after a start is the slowest (JIT, page cache): warm up longer than the baseline.
    await load({ ...options, seconds: 5 });
    if (runOptions.withoutRollups) await dropRollupSetting(dataDir);
    rapport = await warmThenLoad(options);
  } finally {
    await server.stop();
  }
  return { bare, oneInsert, rapport };
}

/** Loads one of the reference servers beside this file the way Rapport is loaded. */
async function loadReference(file: string, label: string): Promise<LoadResult> {
  const server = await startNode([path.join(ROOT, 'bench/ingest', file)], {});
  try {
    return await warmThenLoad({ label, url: `${server.url}/api/v1/interactions`, method: 'POST', headers: { 'content-type': 'application/json' }, body: trigger, seconds: SECONDS });
  } finally {
    await server.stop();
  }
}

if (require.main === module) {
  void benchIngest().then(({ bare, oneInsert, rapport }) => {
    printTable(`ingest: ${SECONDS} s at 50 connections, unique triggers`, bare, [...(oneInsert ? [oneInsert] : []), rapport]);
    const ratio = rapport.rps / bare.rps;
    console.log(`\ntarget: ≥ 0.30 of bare throughput and p99 < 50 ms → ${ratio.toFixed(2)}, p99 ${rapport.p99} ms: ${ratio >= 0.3 && rapport.p99 < 50 ? 'met' : 'NOT met'}`);
  });
}
