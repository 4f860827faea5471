/**
 * bench/ingest: POST /api/v1/interactions with unique triggers at 50 connections, against bare Express
 * parsing the same body, both measured in this run. Rapport runs compiled (dist/) on a fresh SQLite file.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
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

export async function benchIngest(extraEnv: Record<string, string> = {}, label = 'Rapport POST /api/v1/interactions (SQLite)'): Promise<{ bare: LoadResult; rapport: LoadResult }> {
  const bareServer = await startNode([path.join(ROOT, 'bench/ingest/bare-server.cjs')], {});
  let bare: LoadResult;
  try {
    bare = await warmThenLoad({ label: 'bare Express 5 + express.json()', url: `${bareServer.url}/api/v1/interactions`, method: 'POST', headers: { 'content-type': 'application/json' }, body: trigger, seconds: SECONDS });
  } finally {
    await bareServer.stop();
  }

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
    rapport = await warmThenLoad(options);
  } finally {
    await server.stop();
  }
  return { bare, rapport };
}

if (require.main === module) {
  void benchIngest().then(({ bare, rapport }) => {
    printTable(`ingest: ${SECONDS} s at 50 connections, unique triggers`, bare, [rapport]);
    const ratio = rapport.rps / bare.rps;
    console.log(`\ntarget: ≥ 0.30 of bare throughput and p99 < 50 ms → ${ratio.toFixed(2)}, p99 ${rapport.p99} ms: ${ratio >= 0.3 && rapport.p99 < 50 ? 'met' : 'NOT met'}`);
  });
}
