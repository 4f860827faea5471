/**
 * WAL checkpoints off the writer's path, for the long-running processes (serve, worker) on SQLite.
 *
 * By default SQLite checkpoints inside the commit that crosses 1,000 WAL pages: that commit copies the
 * pages into the database file and fsyncs it, and every request waiting on the batch waits with it
 * (125–400 ms stalls measured under ingest load, a few per 15 s run). Here the writer never checkpoints;
 * a second connection runs PASSIVE checkpoints every second on its own thread, which copy what no reader
 * still needs without taking the writer's lock, so commits only append to the WAL. Commands that run
 * briefly keep SQLite's own checkpoints, and closing the last connection checkpoints in any case.
 */
import knex from 'knex';
import type { Logger } from '../config/logger';
import type { Db } from './knex';

const INTERVAL_MS = 1000;
// SQLite's default, restored when the background checkpoints stop.
const DEFAULT_AUTOCHECKPOINT_PAGES = 1000;
// After a checkpoint has copied everything, the next writer restarts the WAL from its start; this caps
// the file at 64 MiB instead of leaving it at its largest size.
const JOURNAL_SIZE_LIMIT = 64 * 1024 * 1024;

/** What one checkpoint did, in WAL pages (frames). */
export interface CheckpointResult {
  /** Frames in the WAL. */
  readonly walFrames: number;
  /** Frames copied into the database file so far. */
  readonly checkpointed: number;
}

export interface BackgroundCheckpoints {
  /** Runs one checkpoint now (tests; the timer calls it too). */
  runOnce(): Promise<CheckpointResult | null>;
  stop(): Promise<void>;
}

/** Starts background checkpoints for the SQLite database behind `writer` (its one connection). */
export async function startBackgroundCheckpoints(writer: Db, filename: string, logger: Logger, intervalMs = INTERVAL_MS): Promise<BackgroundCheckpoints> {
  const checkpointer = knex({ client: 'sqlite3', connection: { filename }, useNullAsDefault: true, pool: { min: 1, max: 1 } });
  await writer.raw('PRAGMA wal_autocheckpoint = 0');
  await writer.raw(`PRAGMA journal_size_limit = ${JOURNAL_SIZE_LIMIT}`);
  let running: Promise<CheckpointResult | null> | null = null;
  const runOnce = (): Promise<CheckpointResult | null> => {
    running ??= checkpointer
      .raw('PRAGMA wal_checkpoint(PASSIVE)')
      .then((rows: { log: number; checkpointed: number }[]) => {
        const row = rows[0];
        return row === undefined ? null : { walFrames: Number(row.log), checkpointed: Number(row.checkpointed) };
      })
      .catch((error: unknown) => {
        logger.warn({ event: 'db.checkpoint_failed', err: error }, 'WAL checkpoint failed');
        return null;
      })
      .finally(() => {
        running = null;
      });
    return running;
  };
  const timer = setInterval(() => void runOnce(), intervalMs);
  timer.unref();
  return {
    runOnce,
    async stop() {
      clearInterval(timer);
      await running;
      await checkpointer.destroy();
      await writer.raw(`PRAGMA wal_autocheckpoint = ${DEFAULT_AUTOCHECKPOINT_PAGES}`);
    },
  };
}
