/**
 * The knex factory for SQLite (embedded default) or PostgreSQL, and migrations.
 * SQLite runs in WAL mode with foreign keys on and a busy timeout; synchronous=FULL makes every
 * acknowledged commit survive a power cut, and the ingest batcher amortises that fsync.
 */
import fs from 'node:fs';
import path from 'node:path';
import knex, { type Knex } from 'knex';
import pg from 'pg';
import type { DatabaseTarget } from '../config/config';
import type { Logger } from '../config/logger';
import { SqliteWriterClient } from './sqlite-writer-client';

export type Db = Knex;
export type Engine = DatabaseTarget['client'];

// COUNT/SUM and bigint columns come back from pg as strings; every value we store fits a double.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));
pg.types.setTypeParser(pg.types.builtins.NUMERIC, (v) => Number(v));

type SqliteConnection = { run(sql: string, cb: (err: Error | null) => void): void };

function pragmaRunner(pragmas: readonly string[]) {
  return (conn: SqliteConnection, done: (err: Error | null, conn: SqliteConnection) => void): void => {
    const next = (i: number): void => {
      if (i === pragmas.length) return done(null, conn);
      conn.run(pragmas[i] as string, (err) => (err ? done(err, conn) : next(i + 1)));
    };
    next(0);
  };
}

const WRITER_PRAGMAS = ['PRAGMA journal_mode = WAL', 'PRAGMA synchronous = FULL', 'PRAGMA foreign_keys = ON', 'PRAGMA busy_timeout = 5000'];
const READER_PRAGMAS = ['PRAGMA busy_timeout = 5000', 'PRAGMA query_only = ON'];

export interface DbOptions {
  /** PostgreSQL schema to use (tests give each file its own). */
  readonly searchPath?: string;
  readonly poolMax?: number;
  /** Where knex's own warnings go; without it knex prints them, stack and all, with console.log. */
  readonly logger?: Logger;
}

/** knex's warnings (e.g. "Acquire connection error" while PostgreSQL is down) as structured log lines. */
function knexLog(logger: Logger | undefined): Knex.Logger | undefined {
  if (!logger) return undefined;
  const db = logger.child({ module: 'db' });
  return {
    warn: (message: unknown) => db.warn({ event: 'db.knex_warning' }, String(message)),
    error: (message: unknown) => db.error({ event: 'db.knex_error' }, String(message)),
    // knex calls it with one composed message, whatever its type says.
    deprecate: (message: string) => db.warn({ event: 'db.knex_deprecation' }, message),
    debug: (message: unknown) => db.debug({ event: 'db.knex_debug' }, String(message)),
  };
}

/**
 * Creates a folder and its missing parents one level at a time: fs.mkdirSync's recursive mode never
 * returns for some unwritable paths (under /proc), and this way a file in the way is named as such.
 */
function ensureDirectory(dir: string): void {
  const missing: string[] = [];
  let at = path.resolve(dir);
  while (!fs.existsSync(at)) {
    missing.unshift(at);
    at = path.dirname(at);
  }
  if (!fs.statSync(at).isDirectory()) throw Object.assign(new Error(`${at} is not a folder`), { code: 'ENOTDIR' });
  for (const folder of missing) fs.mkdirSync(folder);
}

export function createDb(target: DatabaseTarget, options: DbOptions = {}): Db {
  if (target.client === 'sqlite') {
    ensureDirectory(path.dirname(target.filename));
    return knex({
      // Its transactions begin IMMEDIATE, their statements prepared (see sqlite-writer-client).
      client: SqliteWriterClient,
      connection: { filename: target.filename },
      useNullAsDefault: true,
      log: knexLog(options.logger),
      // One connection: SQLite has one writer, and the async driver already runs it off the event loop.
      pool: { min: 1, max: 1, afterCreate: pragmaRunner(WRITER_PRAGMAS) },
    });
  }
  return knex({
    client: 'pg',
    connection: target.url,
    searchPath: options.searchPath ? [options.searchPath] : undefined,
    log: knexLog(options.logger),
    pool: { min: 0, max: options.poolMax ?? 10 },
  });
}

/**
 * Where plain reads go. On SQLite, a separate pool of read-only connections: in WAL mode they read
 * alongside the single writer instead of queueing behind its transactions. On PostgreSQL, the same pool.
 */
export function createReadDb(target: DatabaseTarget, primary: Db, logger?: Logger): Db {
  if (target.client === 'pg') return primary;
  return knex({
    client: 'sqlite3',
    connection: { filename: target.filename },
    useNullAsDefault: true,
    log: knexLog(logger),
    pool: { min: 0, max: 2, afterCreate: pragmaRunner(READER_PRAGMAS) },
  });
}

export function engineOf(db: Db): Engine {
  return db.client.config.client === 'pg' ? 'pg' : 'sqlite';
}

// Compiled code loads dist/migrations/*.js; under tsx (tests, dev) the .ts sources.
const runningFromSource = __filename.endsWith('.ts');
export const migrationConfig: Knex.MigratorConfig = {
  directory: path.resolve(__dirname, '../../migrations'),
  loadExtensions: runningFromSource ? ['.ts'] : ['.js'],
  tableName: 'knex_migrations',
};

/** Applies every pending migration; returns the names applied. */
export async function migrateLatest(db: Db): Promise<string[]> {
  const [, applied] = (await db.migrate.latest(migrationConfig)) as [number, string[]];
  return applied;
}

/** True when the database answers a trivial query within the timeout. */
export async function databaseAnswers(db: Db, timeoutMs = 2000): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  const probe = db.raw('select 1').then(
    () => true,
    () => false,
  );
  try {
    return await Promise.race([probe, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
