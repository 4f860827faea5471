/**
 * `rapport serve`: migrates, serves HTTP and (unless --no-worker) runs the outbox worker in-process.
 * SIGTERM/SIGINT: stop accepting, let in-flight requests and queued writes finish, close the database.
 */
import type { RequestListener, Server } from 'node:http';
import { ConfigError, type Config } from '../config/config';
import { migrateLatest } from '../db/knex';
import { createHttpServer } from '../http/http-server';
import { closeRuntime, composeApp, composeWorker, openRuntime, startCheckpoints, startUpkeep } from './runtime';
import { issueSetupLink } from './setup-link';

const SHUTDOWN_GRACE_MS = 10_000;

export interface ServeOptions {
  readonly worker: boolean;
}

/**
 * Listens, or fails with the variable to fix. (Express 5's app.listen calls its callback on an error
 * too, so a port in use would look like success.)
 */
function listen(app: RequestListener, config: Config): Promise<Server> {
  const { host, port } = config;
  return new Promise((resolve, reject) => {
    const server = createHttpServer(app, config);
    server.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE') reject(new ConfigError('PORT', `${host}:${port} is already in use`));
      else if (error.code === 'EACCES') reject(new ConfigError('PORT', `no permission to listen on port ${port}`));
      else if (error.code === 'EADDRNOTAVAIL' || error.code === 'ENOTFOUND' || error.code === 'EAI_AGAIN') reject(new ConfigError('HOST', `cannot listen on ${host} (${error.code})`));
      else reject(error);
    });
    server.listen(port, host, () => resolve(server));
  });
}

export async function serve(options: ServeOptions): Promise<void> {
  const rt = openRuntime();
  await migrateLatest(rt.db);
  const { app, ingestor, settings } = composeApp(rt);
  const worker = options.worker ? composeWorker(rt, settings) : null;
  const stopUpkeep = options.worker ? startUpkeep(rt) : () => undefined;
  const stopCheckpoints = await startCheckpoints(rt);

  const server = await listen(app, rt.config);
  // Stop gracefully from the moment the port answers: a SIGTERM while the setup link is issued must
  // not fall to Node's default, which exits at once.
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
        .then(stopCheckpoints)
        .then(() => closeRuntime(rt))
        .then(() => {
          clearTimeout(force);
          rt.logger.info({ event: 'server.stopped' }, 'stopped');
          process.exit(0);
        })
        .catch((error: unknown) => {
          rt.logger.error({ event: 'server.stop_failed', err: error }, 'shutdown failed');
          process.exit(1);
        });
    });
    server.closeIdleConnections();
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
  rt.logger.info({ event: 'server.listening', host: rt.config.host, port: rt.config.port, database: rt.config.database.client, worker: options.worker }, 'Rapport is listening');
  console.log(`Rapport is running at ${rt.config.baseUrl} (database: ${rt.config.database.client === 'sqlite' ? rt.config.database.filename : 'PostgreSQL'})`);
  const setupLink = await issueSetupLink(rt);
  if (setupLink) console.log(`No users yet. Create the first admin here (one-time link): ${setupLink}`);
  if (stopping) return;
  if (worker) {
    worker.start();
    if (!rt.config.smtpUrl) console.log('No SMTP_URL: survey emails are captured, not sent. See them in the dashboard (/outbox) or with: npx rapport outbox list');
  }
}

