import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createTestDatabase } from '../support/database';

describe('SQLite writer transactions', () => {
  it('begin IMMEDIATE and end with the statements the writer client runs prepared, committing or rolling back', async () => {
    const t = await createTestDatabase('sqlite');
    const sent: string[] = [];
    t.db.on('query', (query: { sql: string }) => sent.push(query.sql));
    try {
      await t.db.transaction((trx) => trx('settings').insert({ key: 'kept', value: '1', updated_at: 1 }));
      await assert.rejects(
        t.db.transaction(async (trx) => {
          await trx('settings').insert({ key: 'undone', value: '1', updated_at: 1 });
          throw new Error('undo');
        }),
        /undo/,
      );
      await t.db.transaction((trx) => trx('settings').insert({ key: 'kept-too', value: '1', updated_at: 1 }));
      // Exactly the SQL that sqlite-writer-client's TRANSACTION_STATEMENTS lists: should knex ever send
      // these differently, the writer would quietly go back to preparing them afresh every time.
      assert.deepEqual(
        sent.filter((sql) => /^(begin|commit|rollback)\b/i.test(sql)),
        ['BEGIN IMMEDIATE;', 'COMMIT;', 'BEGIN IMMEDIATE;', 'ROLLBACK', 'BEGIN IMMEDIATE;', 'COMMIT;'],
      );
      assert.deepEqual(((await t.db('settings').whereIn('key', ['kept', 'undone', 'kept-too']).orderBy('key').pluck('key')) as string[]), ['kept', 'kept-too']);
    } finally {
      await t.cleanup();
    }
  });
});
