/**
 * Benchmark plumbing: start servers as child processes, load them with autocannon from this process,
 * and report each target as a ratio to a bare baseline measured in the same run (the machines are noisy).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import { freePort } from '../test/support/net';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';

export const ROOT = path.resolve(__dirname, '..');

export interface LoadResult {
  readonly label: string;
  readonly rps: number;
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
  readonly requests: number;
  readonly non2xx: number;
  readonly errors: number;
}

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export interface Proc {
  readonly child: ChildProcess;
  readonly url: string;
  stop(): Promise<void>;
}

/** Starts `node <args>` with PORT set and waits until `readyPath` answers. */
export async function startNode(args: string[], env: Record<string, string>, readyPath = '/healthz'): Promise<Proc> {
  const port = await freePort();
  const child = spawn(process.execPath, args, { cwd: ROOT, env: { ...process.env, ...env, PORT: String(port) }, stdio: ['ignore', 'ignore', 'inherit'] });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${args.join(' ')} exited with ${child.exitCode}`);
    try {
      if ((await fetch(url + readyPath)).ok) break;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) throw new Error(`${args.join(' ')} did not start`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    child,
    url,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

export interface LoadOptions {
  readonly label: string;
  readonly url: string;
  readonly method?: 'GET' | 'POST';
  readonly headers?: Record<string, string>;
  /** Called for every request: a fresh body each time (e.g. unique triggers). */
  readonly body?: () => string;
  readonly connections?: number;
  readonly seconds: number;
}

export async function load(options: LoadOptions): Promise<LoadResult> {
  const result = await autocannon({
    url: options.url,
    connections: options.connections ?? 50,
    duration: options.seconds,
    method: options.method ?? 'GET',
    headers: options.headers,
    requests: options.body ? [{ setupRequest: (req) => ({ ...req, body: (options.body as () => string)() }) }] : undefined,
  });
  return {
    label: options.label,
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    max: result.latency.max,
    requests: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
  };
}

/** Rounds per benchmark that loads in rounds (BENCH_ROUNDS). */
export const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);

/**
 * Loads each variant in turn, `rounds` times, their servers all running (each idle while another is
 * loaded). These machines' speed drifts by a third within minutes; in rounds a slow spell falls on
 * every variant alike. One array of results per round, in the variants' order.
 */
export async function loadInRounds(variants: readonly LoadOptions[], rounds = ROUNDS): Promise<LoadResult[][]> {
  const results: LoadResult[][] = [];
  for (let r = 0; r < rounds; r++) {
    const round: LoadResult[] = [];
    for (const variant of variants) round.push(await load(variant));
    results.push(round);
  }
  return results;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** What a run in rounds is read by: Rapport against its baseline, the median of the rounds. */
export interface RoundsMedian {
  /** Rapport's throughput over the baseline's, the median of the rounds' ratios. */
  readonly ratio: number;
  /** The median of the rounds' p99 latencies, ms. */
  readonly p99: number;
  /** The baseline's, for reading p99 against what the machine gives a server doing next to nothing. */
  readonly bareP99: number;
}

export function medianOfRounds(rounds: readonly { readonly bare: LoadResult; readonly rapport: LoadResult }[]): RoundsMedian {
  return {
    ratio: median(rounds.map((r) => r.rapport.rps / r.bare.rps)),
    p99: median(rounds.map((r) => r.rapport.p99)),
    bareP99: median(rounds.map((r) => r.bare.p99)),
  };
}
