/**
 * Helpers for the rollup tests: a seeded random history of triggers, sent surveys and (changed) answers
 * through the real API, worker and microsite, and a comparable snapshot of the rollup table.
 */
import request from 'supertest';
import { mulberry32, type Random } from '../../src/demo/random';
import { unpackBuckets } from '../../src/kpis/sketch-codec';
import { postTrigger, type TestApp } from '../support/app';
import { buildTrigger } from '../support/triggers';

const DAY = 86_400_000;
const CHANNELS = ['chat', 'email', 'phone'];
const AGENTS = [
  { external_id: 'r-1', name: 'Rosa', team: 'Tier 1' },
  { external_id: 'r-2', name: 'Rui', team: 'Tier 1' },
  { external_id: 'r-3', name: 'Rin', team: 'Tier 2' },
  { external_id: 'r-4', name: 'Ravi' },
];

const pick = <T>(rng: Random, items: readonly T[]): T => items[Math.floor(rng() * items.length)] as T;

function randomTrigger(rng: Random, now: number): Record<string, unknown> {
  // Within the last 40 days, so that history crosses weeks, months and (in most zones) a DST change.
  const closed = now - Math.floor(rng() * 40 * DAY) - 60_000;
  const opened = closed - Math.floor(rng() * 3 * DAY);
  const trigger = buildTrigger({ channel: pick(rng, CHANNELS), agent: { ...pick(rng, AGENTS) }, closed_at: new Date(closed).toISOString() }, now);
  const roll = rng();
  if (roll < 0.2) {
    delete trigger.opened_at;
    delete trigger.first_response_at;
  } else {
    trigger.opened_at = new Date(opened).toISOString();
    trigger.first_response_at = rng() < 0.3 ? new Date(opened).toISOString() : new Date(opened + Math.floor(rng() * (closed - opened))).toISOString();
    if (rng() < 0.2) delete trigger.first_response_at;
  }
  if (rng() < 0.25) delete trigger.contacts;
  else trigger.contacts = 1 + Math.floor(rng() * 3);
  return trigger;
}

function randomAnswers(rng: Random): string {
  const fields: string[] = [];
  if (rng() < 0.7) fields.push(`csat=${1 + Math.floor(rng() * 5)}`);
  if (rng() < 0.5) fields.push(`ces=${1 + Math.floor(rng() * 7)}`);
  if (rng() < 0.5) fields.push(`nps=${Math.floor(rng() * 11)}`);
  if (rng() < 0.3) fields.push(`comment=${pick(rng, ['Great', '   ', 'Slow+reply', ''])}`);
  return fields.join('&') || 'comment=ok';
}

/** Posts `count` random triggers (10 at a time, so the ingest batcher groups them), sends the due surveys, answers and changes answers. */
export async function randomHistory(t: TestApp, seed: number, count: number): Promise<{ answered: number; changed: number }> {
  const rng = mulberry32(seed);
  const now = t.clock();
  for (let i = 0; i < count; i += 10) {
    const bodies = Array.from({ length: Math.min(10, count - i) }, () => randomTrigger(rng, now));
    const answers = await Promise.all(bodies.map((b) => postTrigger(t, b)));
    for (const res of answers) if (res.status !== 201) throw new Error(`trigger refused: ${res.status} ${JSON.stringify(res.body)}`);
  }
  const worker = t.worker();
  while ((await worker.runOnce()) > 0);
  const rows = (await t.db('outbox_messages').whereNotNull('text').select('text')) as { text: string }[];
  const tokens = rows.flatMap((r) => /\/s\/([A-Za-z0-9_-]{43})/.exec(r.text)?.[1] ?? []);
  let answered = 0;
  let changed = 0;
  for (const token of tokens) {
    if (rng() < 0.35) continue;
    const post = (form: string) => request(t.app).post(`/s/${token}`).type('form').send(form);
    const first = await post(randomAnswers(rng));
    if (first.status !== 303) throw new Error(`answer refused: ${first.status}`);
    answered += 1;
    if (rng() < 0.4) {
      const again = await post(randomAnswers(rng));
      if (again.status !== 303) throw new Error(`changed answer refused: ${again.status}`);
      changed += 1;
    }
  }
  return { answered, changed };
}

/** The rollup table as comparable data: one entry per non-empty cell, sketches summed per bucket. */
export async function rollupSnapshot(t: Pick<TestApp, 'db'>): Promise<Record<string, Record<string, unknown>>> {
  const rows = (await t.db('kpi_rollups').select('*')) as Record<string, unknown>[];
  const out: Record<string, Record<string, unknown>> = {};
  for (const row of rows) {
    const { level, period, agent_id, team_id, channel, first_response_times, resolution_times, ...counts } = row;
    const numbers = Object.fromEntries(Object.entries(counts).map(([k, v]) => [k, Number(v)]));
    const firstResponse = Object.fromEntries(unpackBuckets(first_response_times as Buffer));
    const resolution = Object.fromEntries(unpackBuckets(resolution_times as Buffer));
    const empty = Object.values(numbers).every((n) => n === 0) && Object.keys(firstResponse).length === 0 && Object.keys(resolution).length === 0;
    if (!empty) out[`${String(level)}|${String(period)}|${Number(agent_id)}|${Number(team_id)}|${String(channel)}`] = { ...numbers, firstResponse, resolution };
  }
  return out;
}
