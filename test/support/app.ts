/** A Rapport app over a fresh test database, with a controllable clock and captured logs. */
import { Writable } from 'node:stream';
import type { Express } from 'express';
import request from 'supertest';
import { createApiKey } from '../../src/accounts/api-keys';
import { loadConfig, type Config } from '../../src/config/config';
import { createLogger } from '../../src/config/logger';
import { createReadDb, type Engine } from '../../src/db/knex';
import { composeApp, composeWorker, type Runtime } from '../../src/cli/runtime';
import type { OutboxWorker, OutboxWorkerOptions } from '../../src/mail/outbox-worker';
import type { InteractionIngestor } from '../../src/ingest/report-interaction';
import type { SurveySettingsSource } from '../../src/surveys/survey-settings';
import { createTestDatabase, type TestDatabase } from './database';

export interface TestClock {
  (): number;
  set(ms: number): void;
  advance(ms: number): void;
}

/** A clock that follows real time unless set; once set, it stands still until moved. */
export function testClock(): TestClock {
  let fixed: number | null = null;
  const clock = (() => fixed ?? Date.now()) as TestClock;
  clock.set = (ms) => {
    fixed = ms;
  };
  clock.advance = (ms) => {
    fixed = (fixed ?? Date.now()) + ms;
  };
  return clock;
}

export interface TestApp {
  readonly app: Express;
  readonly db: TestDatabase['db'];
  readonly database: TestDatabase;
  readonly config: Config;
  readonly clock: TestClock;
  readonly ingestor: InteractionIngestor;
  readonly settings: SurveySettingsSource;
  /** A valid API key for this app. */
  readonly apiKey: string;
  readonly runtime: Runtime;
  /** A new outbox worker over this app's database and settings (not started). */
  worker(options?: Partial<OutboxWorkerOptions>): OutboxWorker;
  /** Everything logged so far, one JSON line each. */
  logs(): string;
  close(): Promise<void>;
}

export async function startTestApp(engine: Engine, env: Record<string, string> = {}): Promise<TestApp> {
  const database = await createTestDatabase(engine);
  const config = loadConfig({ ...database.env, LOG_LEVEL: 'debug', ...env });
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(chunk.toString('utf8'));
      done();
    },
  });
  const clock = testClock();
  const readDb = createReadDb(database.target, database.db);
  const rt: Runtime = { config, logger: createLogger(config, sink), db: database.db, readDb, clock };
  const { app, ingestor, settings } = composeApp(rt);
  const { key } = await createApiKey(database.db, clock, 'test');
  return {
    app,
    db: database.db,
    database,
    config,
    clock,
    ingestor,
    settings,
    apiKey: key,
    runtime: rt,
    worker: (options) => composeWorker(rt, settings, { pollMs: 50, ...options }),
    logs: () => lines.join(''),
    close: async () => {
      await ingestor.idle();
      if (readDb !== database.db) await readDb.destroy();
      await database.cleanup();
    },
  };
}

/** POSTs a trigger to the app's API with its key, as an integration would. */
export function postTrigger(t: Pick<TestApp, 'app' | 'apiKey'>, body: unknown, key = t.apiKey): request.Test {
  return request(t.app).post('/api/v1/interactions').set('Authorization', `Bearer ${key}`).set('Content-Type', 'application/json').send(JSON.stringify(body));
}

/** Runs `fn` with a setting stored as the Settings page would store it, then removes it again. */
export async function withSetting<T>(t: Pick<TestApp, 'db' | 'settings'>, key: string, value: unknown, fn: () => Promise<T>): Promise<T> {
  await t.db('settings').insert({ key, value: JSON.stringify(value), updated_at: Date.now() });
  t.settings.invalidate();
  try {
    return await fn();
  } finally {
    await t.db('settings').where({ key }).delete();
    t.settings.invalidate();
  }
}
