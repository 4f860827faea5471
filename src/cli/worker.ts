/**
 * `rapport worker`: the outbox worker alone, for scale-out on PostgreSQL (run several). On SIGTERM it
 * stops claiming, records what it has in flight and exits.
 */
import { migrateLatest } from '../db/knex';
import { SurveySettingsSource, defaultBranding, defaultPolicy } from '../surveys/survey-settings';
import { closeRuntime, composeWorker, openRuntime, startCheckpoints, startUpkeep } from './runtime';

export async function runWorker(): Promise<void> {
  const rt = openRuntime();
  await migrateLatest(rt.db);
  const settings = new SurveySettingsSource(rt.readDb, rt.clock, { policy: defaultPolicy(rt.config), branding: defaultBranding(rt.config) });
  const worker = composeWorker(rt, settings);
  const stopUpkeep = startUpkeep(rt);
  const stopCheckpoints = await startCheckpoints(rt);
  worker.start();
  console.log(`Rapport outbox worker ${worker.id} running (${rt.config.smtpUrl ? 'SMTP' : 'capture mode: nothing leaves this machine'}).`);
  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    stopUpkeep();
    void worker
      .stop()
      .then(stopCheckpoints)
      .then(() => closeRuntime(rt))
      .then(() => process.exit(0))
      .catch((error: unknown) => {
        rt.logger.error({ event: 'worker.stop_failed', err: error }, 'shutdown failed');
        process.exit(1);
      });
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}
