import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createLogger } from '../../src/config/logger';
import { loadConfig } from '../../src/config/config';
import { startBackgroundCheckpoints } from '../../src/db/sqlite-checkpoints';
import { createTestDatabase, type TestDatabase } from '../support/database';

describe('background WAL checkpoints (sqlite)', () => {
  let t: TestDatabase;
  before(async () => {
    t = await createTestDatabase('sqlite');
  });
  after(async () => t.cleanup());

  /** Commits `batches` transactions of 200 rows of 2 KB, back to back. */
  const writeFiller = async (tag: string, batches: number): Promise<void> => {
    const now = Date.now();
    for (let batch = 0; batch < batches; batch++) {
      const rows = Array.from({ length: 200 }, (_, i) => ({ key: `filler-${tag}-${batch}-${i}`, value: 'x'.repeat(2000), updated_at: now }));
      await t.db.transaction(async (trx) => {
        for (let i = 0; i < rows.length; i += 50) await trx('settings').insert(rows.slice(i, i + 50));
      });
    }
  };

  const pragma = async (name: string): Promise<unknown> => Object.values(((await t.db.raw(`PRAGMA ${name}`)) as Record<string, unknown>[])[0] ?? {})[0];

  it('takes checkpoints away from the writer while they run, copies the WAL from its own connection, and gives them back when stopped', async () => {
    assert.ok(t.target.client === 'sqlite');
    const logger = createLogger(loadConfig({ LOG_LEVEL: 'silent' }));
    // An hour: only runOnce checkpoints during the test.
    const checkpoints = await startBackgroundCheckpoints(t.db, t.target.filename, logger, { intervalMs: 3_600_000 });
    try {
      assert.equal(await pragma('wal_autocheckpoint'), 16_384);
      // Well past SQLite's own 1,000-page threshold, well below the writer's raised one.
      await writeFiller('a', 20);
      const result = await checkpoints.runOnce();
      assert.ok(result !== null);
      assert.ok(result.walFrames > 1000, `${result.walFrames} frames in the WAL`);
      assert.equal(result.checkpointed, result.walFrames, 'no reader holds frames back, so all are copied');
      assert.equal(Number((await t.db('settings').where('key', 'like', 'filler-a-%').count({ n: '*' }).first())?.n), 4000);
    } finally {
      await checkpoints.stop();
    }
    assert.equal(await pragma('wal_autocheckpoint'), 1000);
  });

  it('keeps the WAL file bounded under back-to-back commits while checkpointing every few milliseconds', async () => {
    assert.ok(t.target.client === 'sqlite');
    const logger = createLogger(loadConfig({ LOG_LEVEL: 'silent' }));
    const checkpoints = await startBackgroundCheckpoints(t.db, t.target.filename, logger, { intervalMs: 5, writerThresholdPages: 500 });
    try {
      // ~24 MB of rows, about 6,000 pages: many times the threshold.
      await writeFiller('b', 60);
      const result = await checkpoints.runOnce();
      assert.ok(result !== null);
      // Frames since the WAL last started over: about the threshold plus a transaction, not all 6,000.
      assert.ok(result.walFrames < 1500, `${result.walFrames} frames in the WAL`);
    } finally {
      await checkpoints.stop();
    }
  });
});
