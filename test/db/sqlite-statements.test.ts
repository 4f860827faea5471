import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import knex, { type Knex } from 'knex';
import { createDb } from '../../src/db/knex';
import { insertRows } from '../../src/db/insert-rows';
import { runPrepared } from '../../src/db/sqlite-statements';
import { runTransaction } from '../../src/db/transaction';
import { createTestDatabase } from '../support/database';

describe('prepared statements on SQLite', () => {
  it('reuses one statement across transactions and batch sizes, and still lets the connection close', async () => {
    const t = await createTestDatabase('sqlite');
    try {
      for (const size of [1, 3, 40]) {
        const rows = Array.from({ length: size }, (_, i) => ({ key: `k-${size}-${i}`, value: `"${i}"`, updated_at: size }));
        const inserted = await t.db.transaction((trx) => insertRows<{ key: string }>(trx, 'settings', rows, 'returning key'));
        assert.deepEqual(
          inserted.map((r) => r.key),
          rows.map((r) => r.key),
        );
      }
      const read = await t.db.transaction((trx) => runPrepared<{ n: number }>(trx, 'select count(*) as n from settings where updated_at = ?', [40]));
      assert.deepEqual(read, [{ n: 40 }]);
    } finally {
      // destroy() closes the connection; with statements left prepared, SQLite would refuse.
      await t.cleanup();
    }
  });

  it('fails the run of a statement SQLite refuses, rolls the transaction back, and prepares it again next time', async () => {
    const t = await createTestDatabase('sqlite');
    try {
      for (let attempt = 0; attempt < 2; attempt++) {
        await assert.rejects(
          t.db.transaction(async (trx) => {
            await insertRows(trx, 'settings', [{ key: `kept-${attempt}`, value: '1', updated_at: 1 }]);
            await runPrepared(trx, 'select no_such_column from settings', []);
          }),
          /no such column/,
        );
      }
      assert.equal((await t.db('settings').where('key', 'like', 'kept-%')).length, 0);
      // A run that fails (NOT NULL) leaves the statement usable for the next one.
      await assert.rejects(
        t.db.transaction((trx) => insertRows(trx, 'settings', [{ key: 'x', value: null, updated_at: 1 }])),
        /NOT NULL/,
      );
      await t.db.transaction((trx) => insertRows(trx, 'settings', [{ key: 'x', value: '1', updated_at: 1 }]));
      assert.equal((await t.db('settings').where({ key: 'x' })).length, 1);
    } finally {
      await t.cleanup();
    }
  });

  it('writes again once another connection committed between its read and its write (SQLITE_BUSY)', async () => {
    const t = await createTestDatabase('sqlite');
    assert.ok(t.target.client === 'sqlite');
    // Rapport's writer connections begin IMMEDIATE; a plain connection's transactions begin DEFERRED.
    const deferred = knex({ client: 'sqlite3', connection: { filename: t.target.filename }, useNullAsDefault: true, pool: { min: 1, max: 1 } });
    try {
      const write = (trx: Knex.Transaction, key: string) => insertRows(trx, 'settings', [{ key, value: '1', updated_at: 1 }]);
      // A transaction that has read cannot write once another connection committed after its read.
      await assert.rejects(
        deferred.transaction(async (trx) => {
          await runPrepared(trx, 'select count(*) as n from settings', []);
          await t.db('settings').insert({ key: 'other', value: '1', updated_at: 1 });
          await write(trx, 'refused');
        }),
        { code: 'SQLITE_BUSY' },
      );
      // The refused statement must not keep that old snapshot: the next transaction reads afresh and writes.
      await runTransaction(deferred, async (trx) => {
        await runPrepared(trx, 'select count(*) as n from settings', []);
        await write(trx, 'written');
      });
      assert.deepEqual((await t.db('settings').orderBy('key').pluck('key')) as string[], ['other', 'written']);
    } finally {
      await deferred.destroy();
      await t.cleanup();
    }
  });

  it('refuses to run outside a SQLite transaction, or after its transaction ended', async () => {
    const t = await createTestDatabase('sqlite');
    const other = createDb(t.target);
    try {
      await assert.rejects(runPrepared(other, 'select 1', []), /SQLite transaction only/);
      let ended: Knex.Transaction | undefined;
      await t.db.transaction(async (trx) => {
        ended = trx;
      });
      await assert.rejects(runPrepared(ended as Knex.Transaction, "insert into settings (key, value, updated_at) values ('late', '1', 1)", []), /already ended/);
      assert.equal((await t.db('settings').where({ key: 'late' })).length, 0);
    } finally {
      await other.destroy();
      await t.cleanup();
    }
  });
});
