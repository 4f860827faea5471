/**
 * bench/survey-page: GET /s/<token>?csat=5 (token lookup, saved answers, settings, EJS render, security
 * headers, access log) at 50 connections, against bare Express sending a precomputed page of the same
 * size, in the same run.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { printTable, ROOT, startNode, tempDir, warmThenLoad, load, type LoadResult } from '../lib';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);

export async function benchSurveyPage(): Promise<{ bare: LoadResult; rapport: LoadResult }> {
  const dataDir = tempDir('rapport-bench-page-');
  const env = { DATA_DIR: dataDir, SURVEY_DELAY_SECONDS: '0', PUBLIC_RATE_LIMIT_PER_MINUTE: '0', API_RATE_LIMIT_PER_MINUTE: '0', LOG_LEVEL: 'info' };
  const cli = path.join(ROOT, 'dist/src/cli/main.js');
  const run = (...args: string[]): string => execFileSync(process.execPath, [cli, ...args], { env: { ...process.env, ...env }, encoding: 'utf8' });
  const key = run('api-key', 'create', '--name', 'bench').trim().split('\n').at(-1) as string;
  const server = await startNode([cli, 'serve'], env);
  let rapport: LoadResult;
  let pageFile: string;
  try {
    const res = await fetch(`${server.url}/api/v1/interactions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ external_id: 'P-1', channel: 'chat', closed_at: new Date().toISOString(), agent: { external_id: 'a-1' }, customer: { email: 'page@example.org', locale: 'es' } }),
    });
    if (res.status !== 201) throw new Error(`trigger: ${res.status}`);
    let token: string | undefined;
    for (let i = 0; i < 50 && !token; i++) {
      await new Promise((r) => setTimeout(r, 200));
      const id = run('outbox', 'list').split('\n')[1]?.split('\t')[0];
      if (id) token = /\/s\/([A-Za-z0-9_-]{43})/.exec(run('outbox', 'show', id))?.[1];
    }
    if (!token) throw new Error('the survey email was not captured');
    const url = `${server.url}/s/${token}?csat=5`;
    const html = await (await fetch(url)).text();
    pageFile = path.join(dataDir, 'page.html');
    fs.writeFileSync(pageFile, html);
    await load({ label: 'warm-up', url, seconds: 5 });
    rapport = await warmThenLoad({ label: `Rapport GET /s/<token> (${html.length} bytes)`, url, seconds: SECONDS });
  } finally {
    await server.stop();
  }
  const bareServer = await startNode([path.join(ROOT, 'bench/survey-page/bare-server.cjs')], { PAGE_FILE: pageFile });
  try {
    const bare = await warmThenLoad({ label: 'bare Express, precomputed page of the same size', url: `${bareServer.url}/s/x`, seconds: SECONDS });
    return { bare, rapport };
  } finally {
    await bareServer.stop();
  }
}

if (require.main === module) {
  void benchSurveyPage().then(({ bare, rapport }) => {
    printTable(`survey page: ${SECONDS} s at 50 connections`, bare, [rapport]);
    const ratio = rapport.rps / bare.rps;
    console.log(`\ntarget: ≥ 0.5 of bare throughput and p99 < 30 ms → ${ratio.toFixed(2)}, p99 ${rapport.p99} ms: ${ratio >= 0.5 && rapport.p99 < 30 ? 'met' : 'NOT met'}`);
  });
}
