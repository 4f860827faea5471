/** Shared start-up for every command: configuration, logger and database, with their clean shutdown. */
import path from 'node:path';
import type { Express } from 'express';
import { ApiKeyAuthenticator } from '../accounts/api-keys';
import { systemClock, type Clock } from '../clock';
import { ConfigError, loadConfig, type Config } from '../config/config';
import { createLogger, type Logger } from '../config/logger';
import { createDb, createReadDb, type Db } from '../db/knex';
import { startBackgroundCheckpoints } from '../db/sqlite-checkpoints';
import { createApp } from '../http/app';
import { InteractionIngestor } from '../ingest/report-interaction';
import { captureTransport, smtpTransport } from '../mail/transport';
import { OutboxWorker, type OutboxWorkerOptions } from '../mail/outbox-worker';
import { expireSurveys } from '../surveys/expire-surveys';
import { surveyOutboxHandler } from '../surveys/survey-mailer';
import { defaultBranding, defaultPolicy, SurveySettingsSource } from '../surveys/survey-settings';

export interface Runtime {
  readonly config: Config;
  readonly logger: Logger;
  readonly db: Db;
  /** Plain reads (see createReadDb); the same as db on PostgreSQL. */
  readonly readDb: Db;
  readonly clock: Clock;
}

export function openRuntime(env: NodeJS.ProcessEnv = process.env): Runtime {
  const config = loadConfig(env);
  const logger = createLogger(config);
  const db = openDatabase(config, env, logger);
  return { config, logger, db, readDb: createReadDb(config.database, db, logger), clock: systemClock };
}

/** The database of `config`; a SQLite folder that cannot be made is a configuration error naming its variable. */
function openDatabase(config: Config, env: NodeJS.ProcessEnv, logger: Logger): Db {
  try {
    return createDb(config.database, { logger });
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (config.database.client !== 'sqlite' || typeof code !== 'string') throw error;
    const variable = env.DATABASE_URL ? 'DATABASE_URL' : 'DATA_DIR';
    throw new ConfigError(variable, `cannot create the database folder ${path.dirname(config.database.filename)} (${code})`);
  }
}

export async function closeRuntime(runtime: Runtime): Promise<void> {
  if (runtime.readDb !== runtime.db) await runtime.readDb.destroy();
  await runtime.db.destroy();
}

/** The BASE_URL host, used as the right-hand side of Message-IDs. */
export function messageIdDomain(config: Config): string {
  return new URL(config.baseUrl).hostname || 'localhost';
}

/** Wires the domain services and the HTTP app for a runtime (shared by `serve` and the tests). */
export function composeApp(rt: Runtime): { app: Express; ingestor: InteractionIngestor; settings: SurveySettingsSource } {
  const settings = new SurveySettingsSource(rt.readDb, rt.clock, { policy: defaultPolicy(rt.config), branding: defaultBranding(rt.config) });
  const ingestor = new InteractionIngestor({
    db: rt.db,
    readDb: rt.readDb,
    clock: rt.clock,
    logger: rt.logger.child({ module: 'ingest' }),
    settings,
    messageIdDomain: messageIdDomain(rt.config),
    reportTimezone: rt.config.reportTimezone,
  });
  const app = createApp({
    config: rt.config,
    db: rt.db,
    readDb: rt.readDb,
    logger: rt.logger,
    clock: rt.clock,
    apiKeys: new ApiKeyAuthenticator(rt.db, rt.readDb, rt.clock),
    ingestor,
    settings,
  });
  return { app, ingestor, settings };
}

/** The outbox worker: SMTP when SMTP_URL is set, capture mode otherwise. */
export function composeWorker(rt: Runtime, settings: SurveySettingsSource, options?: Partial<OutboxWorkerOptions>): OutboxWorker {
  return new OutboxWorker({
    db: rt.db,
    clock: rt.clock,
    logger: rt.logger.child({ module: 'mail' }),
    transport: rt.config.smtpUrl ? smtpTransport(rt.config.smtpUrl) : captureTransport(),
    handler: surveyOutboxHandler({ db: rt.db, settings, baseUrl: rt.config.baseUrl, mailFrom: rt.config.mailFrom }),
    options,
  });
}

/** WAL checkpoints off the writer's path for a long-running process on SQLite (a no-op on PostgreSQL); resolves to its stop. */
export async function startCheckpoints(rt: Runtime): Promise<() => Promise<void>> {
  if (rt.config.database.client !== 'sqlite') return () => Promise.resolve();
  const checkpoints = await startBackgroundCheckpoints(rt.db, rt.config.database.filename, rt.logger.child({ module: 'db' }));
  return () => checkpoints.stop();
}

/** Background upkeep next to a worker: marks expired surveys once a minute. */
export function startUpkeep(rt: Runtime): () => void {
  const run = (): void => {
    expireSurveys(rt.db, rt.clock()).catch((error: unknown) => rt.logger.warn({ event: 'surveys.expiry_failed', err: error }));
  };
  run();
  const timer = setInterval(run, 60_000);
  timer.unref();
  return () => clearInterval(timer);
}
