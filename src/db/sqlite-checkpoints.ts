/**
 * WAL checkpoints off the writer's path, for the long-running processes (serve, worker) on SQLite.
 *
 * By default SQLite checkpoints inside the commit that crosses 1,000 WAL pages: that commit copies the
 * pages into the database file and fsyncs it, and every request waiting on the batch waits with it
 * (125–600 ms stalls measured under ingest load, a few per 15 s run). Here a second connection runs
 * PASSIVE checkpoints every second on its own thread, copying what no reader still needs without taking
 * the writer's lock, and the writer's own threshold is raised to 16,384 pages. The writer then only
 * checkpoints when the WAL is that long, and by then the pages are already copied: what is left is a
 * short copy, after which the next write starts the WAL over (under back-to-back commits the background
 * checkpoint alone never finds a moment to do that, and the file would grow without end). If the
 * background checkpoints fail, the writer's threshold still bounds the WAL. Commands that run briefly
 * keep SQLite's own checkpoints, and closing the last connection checkpoints in any case.
 */
import knex from 'knex';
import type { Logger } from '../config/logger';
import type { Db } from './knex';

const INTERVAL_MS = 1000;
// SQLite's default, restored when the background checkpoints stop.
const DEFAULT_AUTOCHECKPOINT_PAGES = 1000;
// The writer's threshold while they run: 64 MiB of 4 KiB pages.
const WRITER_AUTOCHECKPOINT_PAGES = 16_384;
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

export interface CheckpointOptions {
  readonly intervalMs: number;
  /** WAL pages past which the writer checkpoints itself. */
  readonly writerThresholdPages: number;
}

/** Starts background checkpoints for the SQLite database behind `writer` (its one connection). */
export async function startBackgroundCheckpoints(writer: Db, filename: string, logger: Logger, options: Partial<CheckpointOptions> = {}): Promise<BackgroundCheckpoints> {
  const { intervalMs, writerThresholdPages } = { intervalMs: INTERVAL_MS, writerThresholdPages: WRITER_AUTOCHECKPOINT_PAGES, ...options };
  const checkpointer = knex({ client: 'sqlite3', connection: { filename }, useNullAsDefault: true, pool: { min: 1, max: 1 } });
  await writer.raw(`PRAGMA wal_autocheckpoint = ${writerThresholdPages}`);
  await writer.raw(`PRAGMA journal_size_limit = ${JOURNAL_SIZE_LIMIT}`);
  let running: Promise<CheckpointResult | null> | null = null;
  let failures = 0;
  const runOnce = (): Promise<CheckpointResult | null> => {
    running ??= checkpointer
      .raw('PRAGMA wal_checkpoint(PASSIVE)')
      .then((rows: { log: number; checkpointed: number }[]) => {
        failures = 0;
        const row = rows[0];
        return row === undefined ? null : { walFrames: Number(row.log), checkpointed: Number(row.checkpointed) };
      })
      .catch((error: unknown) => {
        // Once a minute at most while it keeps failing (the writer's threshold bounds the WAL meanwhile).
        if (failures++ % 60 === 0) logger.warn({ event: 'db.checkpoint_failed', err: error, failures }, 'WAL checkpoint failed');
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
