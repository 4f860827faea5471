/**
 * bench/mail: 2,000 due surveys through `rapport worker` (claim, re-check, token, render, send, record)
 * into a local SMTP sink, against nodemailer alone sending the same pre-rendered emails to the same sink
 * in the same run. Rates are taken between the first and the last arrival at the sink, so process
 * start-up counts for neither.
 */
import { execFileSync, fork, spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { ROOT, startNode, tempDir } from '../lib';

const COUNT = Number(process.env.BENCH_EMAILS ?? 2000);

interface SinkReport {
  readonly count: number;
  readonly first: number;
  readonly last: number;
}

function nextMessage<T>(child: ChildProcess, pick: (m: Record<string, unknown>) => boolean): Promise<T> {
  return new Promise((resolve) => {
    const onMessage = (m: Record<string, unknown>): void => {
      if (!pick(m)) return;
      child.off('message', onMessage);
      resolve(m as T);
    };
    child.on('message', onMessage);
  });
}

async function queueSurveys(env: Record<string, string>): Promise<void> {
  const cli = path.join(ROOT, 'dist/src/cli/main.js');
  const key = execFileSync(process.execPath, [cli, 'api-key', 'create', '--name', 'bench'], { env: { ...process.env, ...env }, encoding: 'utf8' }).trim().split('\n').at(-1) as string;
  const server = await startNode([cli, 'serve', '--no-worker'], { ...env, API_RATE_LIMIT_PER_MINUTE: '0', LOG_LEVEL: 'warn' });
  try {
    let next = 0;
    const post = async (): Promise<void> => {
      while (next < COUNT) {
        const i = next++;
        const res = await fetch(`${server.url}/api/v1/interactions`, {
          method: 'POST',
          headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
          body: JSON.stringify({
            external_id: `M-${i}`,
            channel: 'chat',
            closed_at: new Date(Date.now() - 60_000).toISOString(),
            agent: { external_id: `a-${i % 50}`, name: `Agent ${i % 50}` },
            customer: { email: `customer-${i}@example.org`, name: 'Carla', locale: 'es' },
          }),
        });
        if (res.status !== 201) throw new Error(`trigger ${i}: ${res.status}`);
      }
    };
    await Promise.all(Array.from({ length: 50 }, post));
  } finally {
    await server.stop();
  }
}

async function main(): Promise<void> {
  const sink = fork(path.join(ROOT, 'bench/mail/sink.cjs'), { env: { ...process.env, EXPECT: String(COUNT) }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const { port } = await nextMessage<{ port: number }>(sink, (m) => 'port' in m);
  const smtpUrl = `smtp://127.0.0.1:${port}`;
  try {
    const bareDone = nextMessage<SinkReport>(sink, (m) => 'done' in m);
    const bare = spawn(process.execPath, [path.join(ROOT, 'bench/mail/bare-nodemailer.cjs')], { env: { ...process.env, SMTP_URL: smtpUrl, COUNT: String(COUNT) }, stdio: 'inherit' });
    const bareReport = await bareDone;
    await new Promise((r) => bare.once('exit', r));

    sink.send('reset');
    await nextMessage(sink, (m) => 'reset' in m);
    const dataDir = tempDir('rapport-bench-mail-');
    const env = { DATA_DIR: dataDir, SURVEY_DELAY_SECONDS: '0', SURVEY_THROTTLE_DAYS: '0', SMTP_URL: smtpUrl, LOG_LEVEL: 'warn' };
    await queueSurveys(env);
    const rapportDone = nextMessage<SinkReport>(sink, (m) => 'done' in m);
    const worker = spawn(process.execPath, [path.join(ROOT, 'dist/src/cli/main.js'), 'worker'], { env: { ...process.env, ...env }, stdio: 'ignore' });
    const rapportReport = await rapportDone;
    worker.kill('SIGTERM');
    await new Promise((r) => worker.once('exit', r));

    const rate = (r: SinkReport): number => (r.count - 1) / ((r.last - r.first) / 1000);
    console.log(`\n## mail: ${COUNT} survey emails into a local SMTP sink`);
    console.log('| variant | emails/s | vs bare |');
    console.log('|---|---|---|');
    console.log(`| nodemailer alone, pooled (5 connections), pre-rendered | ${Math.round(rate(bareReport))} | 1.00 |`);
    console.log(`| rapport worker (claim, re-check, token, render, send, record) | ${Math.round(rate(rapportReport))} | ${(rate(rapportReport) / rate(bareReport)).toFixed(2)} |`);
    console.log(`\ntarget: ≥ 0.5 of bare nodemailer → ${(rate(rapportReport) / rate(bareReport)).toFixed(2)}`);
  } finally {
    sink.kill();
  }
}

if (require.main === module) void main();

export { main as benchMail };
