/**
 * Configuration for the knex CLI (`npx knex --knexfile knexfile.ts migrate:list`, for example).
 * Rapport itself migrates with `npx rapport migrate`; both read the same environment.
 */
import type { Knex } from 'knex';
import { loadConfig } from './src/config/config';
import { migrationConfig } from './src/db/knex';

const config = loadConfig();

const knexConfig: Knex.Config =
  config.database.client === 'sqlite'
    ? { client: 'sqlite3', connection: { filename: config.database.filename }, useNullAsDefault: true, migrations: migrationConfig }
    : { client: 'pg', connection: config.database.url, migrations: migrationConfig };

export = knexConfig;
