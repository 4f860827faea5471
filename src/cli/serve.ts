/**
 * `rapport serve`: migrates, serves HTTP and (unless --no-worker) runs the outbox worker in-process.
 * SIGTERM/SIGINT: stop accepting, let in-flight requests and queued writes finish, close the database.
 */
import type { Server } from 'node:http';
import { migrateLatest } from '../db/knex';
import { closeRuntime, composeApp, composeWorker, openRuntime, startUpkeep } from './runtime';
import { issueSetupLink } from './setup-link';

const SHUTDOWN_GRACE_MS = 10_000;

export interface ServeOptions {
  readonly worker: boolean;
}

export async function serve(options: ServeOptions): Promise<void> {
  const rt = openRuntime();
  await migrateLatest(rt.db);
  const { app, ingestor, settings } = composeApp(rt);
  const worker = options.worker ? composeWorker(rt, settings) : null;
  const stopUpkeep = options.worker ? startUpkeep(rt) : () => undefined;

  const server = await new Promise<Server>((resolve, reject) => {
    const s = app.listen(rt.config.port, rt.config.host, () => resolve(s));
    s.once('error', reject);
  });
  rt.logger.info({ event: 'server.listening', host: rt.config.host, port: rt.config.port, database: rt.config.database.client, worker: options.worker }, 'Rapport is listening');
  console.log(`Rapport is running at ${rt.config.baseUrl} (database: ${rt.config.database.client === 'sqlite' ? rt.config.database.filename : 'PostgreSQL'})`);
  const setupLink = await issueSetupLink(rt);
  if (setupLink) console.log(`No users yet. Create the first admin here (one-time link): ${setupLink}`);
  if (worker) {
    worker.start();
    if (!rt.config.smtpUrl) console.log('No SMTP_URL: survey emails are captured, not sent. See them in the dashboard (/outbox) or with: npx rapport outbox list');
  }

  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    rt.logger.info({ event: 'server.stopping', signal }, 'shutting down');
    const force = setTimeout(() => process.exit(1), SHUTDOWN_GRACE_MS).unref();
    // Keep-alive connections that finish their last request during the grace period go idle later:
    // keep closing idle ones so they don't hold the shutdown for the keep-alive timeout.
    const reaper = setInterval(() => server.closeIdleConnections(), 100).unref();
    server.close(() => {
      clearInterval(reaper);
      stopUpkeep();
      void ingestor
        .idle()
        .then(() => worker?.stop())
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

