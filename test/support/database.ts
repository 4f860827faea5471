/**
 * Freshly migrated databases for tests: a new SQLite file per call, and, when TEST_DATABASE_URL is set,
 * a new PostgreSQL schema per call (dropped afterwards), so test files never share state.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import knex from 'knex';
import type { DatabaseTarget } from '../../src/config/config';
import { createDb, migrateLatest, type Db, type Engine } from '../../src/db/knex';

export const pgUrl = process.env.TEST_DATABASE_URL || null;

/** The engines the database tests run on. */
export const ENGINES: readonly Engine[] = pgUrl ? ['sqlite', 'pg'] : ['sqlite'];

let announced = false;
export function announceEngines(): void {
  if (announced) return;
  announced = true;
  if (!pgUrl) console.log('# PostgreSQL tests skipped: TEST_DATABASE_URL is not set (database tests run on SQLite only)');
}

export interface TestDatabase {
  readonly engine: Engine;
  readonly db: Db;
  /** What DATABASE_URL would be for a process using this database (PostgreSQL: plus the schema). */
  readonly target: DatabaseTarget;
  readonly schema: string | null;
  /** Environment that points a child `rapport` process at this database. */
  readonly env: Record<string, string>;
  cleanup(): Promise<void>;
}

export async function createTestDatabase(engine: Engine, options: { migrate?: boolean } = {}): Promise<TestDatabase> {
  announceEngines();
  const migrate = options.migrate ?? true;
  if (engine === 'sqlite') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rapport-test-'));
    const target: DatabaseTarget = { client: 'sqlite', filename: path.join(dir, 'rapport.sqlite') };
    const db = createDb(target);
    if (migrate) await migrateLatest(db);
    return {
      engine,
      db,
      target,
      schema: null,
      env: { DATA_DIR: dir },
      async cleanup() {
        await db.destroy();
        fs.rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  if (!pgUrl) throw new Error('TEST_DATABASE_URL is not set');
  const schema = `rapport_test_${randomBytes(6).toString('hex')}`;
  const admin = knex({ client: 'pg', connection: pgUrl });
  await admin.raw('create schema ??', [schema]);
  await admin.destroy();
  const target: DatabaseTarget = { client: 'pg', url: pgUrl };
  const db = createDb(target, { searchPath: schema });
  if (migrate) await migrateLatest(db);
  const url = new URL(pgUrl);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return {
    engine,
    db,
    target,
    schema,
    env: { DATABASE_URL: url.toString() },
    async cleanup() {
      await db.destroy();
      const dropper = knex({ client: 'pg', connection: pgUrl });
      await dropper.raw('drop schema if exists ?? cascade', [schema]);
      await dropper.destroy();
    },
  };
}

/** Row counts of every table, to prove that a rejected request changed nothing. */
export async function snapshotCounts(db: Db): Promise<Record<string, number>> {
  const tables = ['teams', 'agents', 'customers', 'interactions', 'surveys', 'survey_tokens', 'responses', 'outbox_messages', 'api_keys', 'users', 'settings'];
  const out: Record<string, number> = {};
  for (const table of tables) {
    const row = (await db(table).count({ n: '*' }).first()) as { n: number | string };
    out[table] = Number(row.n);
  }
  return out;
}
