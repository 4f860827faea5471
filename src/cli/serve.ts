/**
 * `rapport serve`: migrates, serves HTTP and (unless --no-worker) runs the outbox worker in-process.
 * SIGTERM/SIGINT: stop accepting, let in-flight requests and queued writes finish, close the database.
 */
import type { Server } from 'node:http';
import { ApiKeyAuthenticator } from '../accounts/api-keys';
import { migrateLatest } from '../db/knex';
import { createApp } from '../http/app';
import { InteractionIngestor } from '../ingest/report-interaction';
import { defaultPolicy, SurveyPolicySource } from '../surveys/survey-policy';
import { closeRuntime, messageIdDomain, openRuntime } from './runtime';
import { issueSetupLink } from './setup-link';

const SHUTDOWN_GRACE_MS = 10_000;

export interface ServeOptions {
  readonly worker: boolean;
}

export async function serve(options: ServeOptions): Promise<void> {
  const rt = openRuntime();
  await migrateLatest(rt.db);
  const policy = new SurveyPolicySource(rt.db, rt.clock, defaultPolicy(rt.config));
  const ingestor = new InteractionIngestor({ db: rt.db, clock: rt.clock, logger: rt.logger.child({ module: 'ingest' }), policy, messageIdDomain: messageIdDomain(rt.config) });
  const app = createApp({ config: rt.config, db: rt.db, logger: rt.logger, clock: rt.clock, apiKeys: new ApiKeyAuthenticator(rt.db, rt.clock), ingestor });

  const server = await new Promise<Server>((resolve, reject) => {
    const s = app.listen(rt.config.port, rt.config.host, () => resolve(s));
    s.once('error', reject);
  });
  rt.logger.info({ event: 'server.listening', host: rt.config.host, port: rt.config.port, database: rt.config.database.client, worker: options.worker }, 'Rapport is listening');
  console.log(`Rapport is running at ${rt.config.baseUrl} (database: ${rt.config.database.client === 'sqlite' ? rt.config.database.filename : 'PostgreSQL'})`);
  const setupLink = await issueSetupLink(rt);
  if (setupLink) console.log(`No users yet. Create the first admin here (one-time link): ${setupLink}`);

  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    rt.logger.info({ event: 'server.stopping', signal }, 'shutting down');
    const force = setTimeout(() => process.exit(1), SHUTDOWN_GRACE_MS).unref();
    server.close(() => {
      void ingestor
        .idle()
        .then(() => closeRuntime(rt))
        .then(() => {
          clearTimeout(force);
          rt.logger.info({ event: 'server.stopped' }, 'stopped');
          process.exit(0);
        });
    });
    server.closeIdleConnections();
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
}

