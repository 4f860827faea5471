/**
 * bench/survey-page: GET /s/<token>?csat=5 (token lookup, saved answers, settings, EJS render, security
 * headers, access log) at 50 connections, against bare Express sending a precomputed page of the same
 * size, both loaded in rounds in the same run.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { load, loadInRounds, medianOfRounds, ROOT, startNode, tempDir, type LoadResult, type Proc, type RoundsMedian } from '../lib';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);

export interface SurveyPageRun extends RoundsMedian {
  readonly rounds: readonly { readonly bare: LoadResult; readonly rapport: LoadResult }[];
}

/** Rapport's survey page and the bare page, loaded in rounds (loadInRounds). */
export async function benchSurveyPage(): Promise<SurveyPageRun> {
  const dataDir = tempDir('rapport-bench-page-');
  const env = { DATA_DIR: dataDir, SURVEY_DELAY_SECONDS: '0', PUBLIC_RATE_LIMIT_PER_MINUTE: '0', API_RATE_LIMIT_PER_MINUTE: '0', LOG_LEVEL: 'info' };
  const cli = path.join(ROOT, 'dist/src/cli/main.js');
  const run = (...args: string[]): string => execFileSync(process.execPath, [cli, ...args], { env: { ...process.env, ...env }, encoding: 'utf8' });
  const key = run('api-key', 'create', '--name', 'bench').trim().split('\n').at(-1) as string;
  const servers: Proc[] = [];
  try {
    const server = await startNode([cli, 'serve'], env);
    servers.push(server);
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
    const pageFile = path.join(dataDir, 'page.html');
    fs.writeFileSync(pageFile, html);
    const bareServer = await startNode([path.join(ROOT, 'bench/survey-page/bare-server.cjs')], { PAGE_FILE: pageFile });
    servers.push(bareServer);
    const bare = { label: 'bare Express, precomputed page of the same size', url: `${bareServer.url}/s/x`, seconds: SECONDS };
    const rapport = { label: `Rapport GET /s/<token> (${html.length} bytes)`, url, seconds: SECONDS };
    // Warm-ups, discarded: Rapport's longer (the first load after a start is the slowest).
    await load({ ...bare, seconds: 5 });
    await load({ ...rapport, seconds: 10 });
    const rounds = (await loadInRounds([bare, rapport])).map((r) => ({ bare: r[0] as LoadResult, rapport: r[1] as LoadResult }));
    return { rounds, ...medianOfRounds(rounds) };
  } finally {
    await Promise.all(servers.map((s) => s.stop()));
  }
}

/** The run round by round, then the medians the targets are read from. */
export function printSurveyPage(title: string, run: SurveyPageRun): void {
  console.log(`\n## ${title}`);
  console.log('| round | bare req/s | bare p50 / p99 ms | Rapport req/s | vs bare | Rapport p50 / p99 / max ms | non-2xx | errors |');
  console.log('|---|---|---|---|---|---|---|---|');
  run.rounds.forEach(({ bare, rapport }, i) => {
    console.log(`| ${i + 1} | ${Math.round(bare.rps)} | ${bare.p50} / ${bare.p99} | ${Math.round(rapport.rps)} | ${(rapport.rps / bare.rps).toFixed(2)} | ${rapport.p50} / ${rapport.p99} / ${rapport.max} | ${bare.non2xx + rapport.non2xx} | ${bare.errors + rapport.errors} |`);
  });
  console.log(`\nmedian of ${run.rounds.length} rounds: ${run.ratio.toFixed(2)} of bare, p99 ${run.p99} ms (the bare page's own p99 ${run.bareP99} ms)`);
}

if (require.main === module) {
  void benchSurveyPage().then((run) => {
    printSurveyPage(`survey page: ${SECONDS} s at 50 connections, ${run.rounds.length} rounds`, run);
    const met = run.ratio >= 0.5 && run.p99 < 30;
    console.log(`target: ≥ 0.5 of bare throughput and p99 < 30 ms → ${run.ratio.toFixed(2)}, p99 ${run.p99} ms: ${met ? 'met' : 'NOT met'}`);
  });
}
