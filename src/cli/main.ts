#!/usr/bin/env node
/** The `rapport` command: parses the command line and hands over to one command module. */
import { parseArgs } from 'node:util';
import { ConfigError } from '../config/config';
import { DomainError } from '../errors';
import { apiKeyCreate, apiKeyList, apiKeyRevoke, UsageError, userCreate } from './accounts';
import { runDemo } from './demo';
import { migrateAndCheckRollups, rollupsRebuild } from './rollups';
import { outboxList, outboxShow } from './outbox';
import { serve } from './serve';
import { runWorker } from './worker';

const USAGE = `usage: rapport <command>
  serve [--no-worker]                          serve HTTP (and the outbox worker)
  worker                                       run the outbox worker alone
  migrate                                      apply database migrations and exit
  outbox list [--status S] [--limit N] | show ID       the email outbox
  user create --email E --role admin|lead [--name N]   password on stdin
  api-key create --name N | list | revoke ID
  demo [--interactions N] [--days D] [--seed S] [--agents A]   fill the database with a realistic demo
  rollups rebuild                              recompute every KPI rollup from the raw rows`;

async function migrate(): Promise<void> {
  const applied = await migrateAndCheckRollups();
  console.log(applied.length === 0 ? 'Database is up to date.' : `Applied ${applied.length} migration(s): ${applied.join(', ')}`);
}

async function run(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      'no-worker': { type: 'boolean' },
      email: { type: 'string' },
      role: { type: 'string' },
      name: { type: 'string' },
      status: { type: 'string' },
      limit: { type: 'string' },
      interactions: { type: 'string' },
      days: { type: 'string' },
      seed: { type: 'string' },
      agents: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const [command, sub, arg] = positionals;
  if (values.help || command === undefined) return void console.log(USAGE);
  switch (`${command}${sub ? ` ${sub}` : ''}`) {
    case 'serve':
      // Migrations and the KPI rollup check run first, in their own connection, then the server starts.
      await migrateAndCheckRollups();
      return serve({ worker: !values['no-worker'] });
    case 'worker':
      await migrateAndCheckRollups();
      return runWorker();
    case 'migrate':
      return migrate();
    case 'outbox list':
      return outboxList(values);
    case 'outbox show':
      return outboxShow(arg);
    case 'user create':
      return userCreate(values);
    case 'api-key create':
      return apiKeyCreate(values);
    case 'api-key list':
      return apiKeyList();
    case 'api-key revoke':
      return apiKeyRevoke(arg);
    case 'demo':
      return runDemo(values);
    case 'rollups rebuild':
      return rollupsRebuild();
    default:
      throw new UsageError(`unknown command "${positionals.join(' ')}"\n${USAGE}`);
  }
}

// Errors of a PostgreSQL server that cannot be reached or refuses the login: a DATABASE_URL to fix.
const CONNECTION_ERRORS = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', '28P01', '28000', '3D000']);

function connectionFailure(error: unknown): string | null {
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  if (typeof code !== 'string' || !CONNECTION_ERRORS.has(code) || !/^postgres(ql)?:/.test(process.env.DATABASE_URL ?? '')) return null;
  return `DATABASE_URL: cannot use the PostgreSQL database (${code}: ${(error as Error).message.split('\n')[0]})`;
}

run(process.argv.slice(2)).catch((error: unknown) => {
  const connection = connectionFailure(error);
  if (error instanceof ConfigError) console.error(`rapport: configuration error: ${error.message}`);
  else if (connection !== null) console.error(`rapport: configuration error: ${connection}`);
  else if (error instanceof UsageError || (error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS'))) {
    console.error(`rapport: ${error.message}`);
  } else if (error instanceof DomainError) console.error(`rapport: ${error.message}`);
  else console.error('rapport: failed:', error);
  process.exit(1);
});
