/** Shared start-up for every command: configuration, logger and database, with their clean shutdown. */
import { systemClock, type Clock } from '../clock';
import { loadConfig, type Config } from '../config/config';
import { createLogger, type Logger } from '../config/logger';
import { createDb, type Db } from '../db/knex';

export interface Runtime {
  readonly config: Config;
  readonly logger: Logger;
  readonly db: Db;
  readonly clock: Clock;
}

export function openRuntime(env: NodeJS.ProcessEnv = process.env): Runtime {
  const config = loadConfig(env);
  const logger = createLogger(config);
  return { config, logger, db: createDb(config.database), clock: systemClock };
}

export async function closeRuntime(runtime: Runtime): Promise<void> {
  await runtime.db.destroy();
}

/** The BASE_URL host, used as the right-hand side of Message-IDs. */
export function messageIdDomain(config: Config): string {
  return new URL(config.baseUrl).hostname || 'localhost';
}
