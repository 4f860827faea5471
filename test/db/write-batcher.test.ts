import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createDb } from '../../src/db/knex';
import { WriteBatcher } from '../../src/db/write-batcher';
import { ENGINES, createTestDatabase, type TestDatabase } from '../support/database';

for (const engine of ENGINES) {
  describe(`write batcher (${engine})`, () => {
    let t: TestDatabase;
    before(async () => {
      t = await createTestDatabase(engine);
    });
    after(async () => t.cleanup());

    it('commits concurrent items together and fails only the item that broke its batch', async () => {
      const batchSizes: number[] = [];
      const committed: string[] = [];
      const batcher = new WriteBatcher<string, string>(t.db, { maxBatch: 50, concurrency: 1 }, async (trx, items, ctx) => {
        batchSizes.push(items.length);
        for (const key of items) {
          if (key === 'poison') throw new Error('poisoned');
          await trx('settings').insert({ key, value: '"v"', updated_at: 1 });
          ctx.afterCommit(() => committed.push(key));
        }
        return items.map((k) => `ok:${k}`);
      });
      const keys = ['b1', 'b2', 'poison', 'b3', 'b4'];
      const outcomes = await Promise.allSettled(keys.map((k) => batcher.submit(k)));
      assert.deepEqual(
        outcomes.map((o) => o.status),
        ['fulfilled', 'fulfilled', 'rejected', 'fulfilled', 'fulfilled'],
      );
      assert.equal((outcomes[0] as PromiseFulfilledResult<string>).value, 'ok:b1');
      const stored = (await t.db('settings').whereIn('key', keys).select('key')).map((r: { key: string }) => r.key).sort();
      assert.deepEqual(stored, ['b1', 'b2', 'b3', 'b4']);
      assert.deepEqual([...committed].sort(), ['b1', 'b2', 'b3', 'b4']);
      assert.ok(batchSizes.some((n) => n > 1), `items were batched: ${batchSizes.join(',')}`);
      await batcher.idle();
    });

    it('resolves idle() only after queued work is done', async () => {
      let done = 0;
      const batcher = new WriteBatcher<number, number>(t.db, { maxBatch: 2, concurrency: 1 }, async (_trx, items) => {
        await new Promise((r) => setTimeout(r, 20));
        done += items.length;
        return [...items];
      });
      const all = Promise.all([1, 2, 3, 4, 5].map((n) => batcher.submit(n)));
      await batcher.idle();
      assert.equal(done, 5);
      assert.deepEqual(await all, [1, 2, 3, 4, 5]);
    });
  });
}

describe('write batcher on SQLite with another writer process', () => {
  it('holds the write lock from the start: a batch that reads first is not refused when another process writes meanwhile', async () => {
    const t = await createTestDatabase('sqlite');
    const other = createDb(t.target);
    try {
      let attempts = 0;
      let othersWrite: Promise<unknown> | undefined;
      const batcher = new WriteBatcher<string, string>(t.db, { maxBatch: 10, concurrency: 1 }, async (trx, items) => {
        attempts += 1;
        await trx('settings').count({ n: '*' });
        // A deferred transaction would hold only a read snapshot here: this commit would go first and the
        // insert below would be refused (SQLITE_BUSY), the batch started over.
        // (A knex query runs once it is awaited or then'd: start it now.)
        othersWrite ??= other('settings').insert({ key: 'from-another-process', value: '1', updated_at: 1 }).then(() => undefined);
        await new Promise((resolve) => setTimeout(resolve, 50));
        await trx('settings').insert({ key: `mine-${attempts}`, value: '1', updated_at: 1 });
        return [...items];
      });
      assert.deepEqual(await batcher.submit('a'), 'a');
      await othersWrite;
      assert.equal(attempts, 1);
      const keys = (await t.db('settings').select('key')).map((r: { key: string }) => r.key).sort();
      assert.deepEqual(keys, ['from-another-process', 'mine-1']);
    } finally {
      await other.destroy();
      await t.cleanup();
    }
  });
});
