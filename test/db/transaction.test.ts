import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { runSideBySide, runTransaction } from '../../src/db/transaction';
import { ENGINES, createTestDatabase, type TestDatabase } from '../support/database';

for (const engine of ENGINES) {
  describe(`runSideBySide (${engine})`, () => {
    let t: TestDatabase;
    before(async () => {
      t = await createTestDatabase(engine);
    });
    after(async () => t.cleanup());

    it('runs both parts in the transaction and returns their results', async () => {
      const [teams, settings] = await runTransaction(t.db, (trx) =>
        runSideBySide(
          trx,
          async () => {
            const [team] = (await trx('teams').insert({ name: 'Tier 1', created_at: 1 }).returning('id')) as { id: number }[];
            await trx('agents').insert({ external_id: 'a-1', team_id: team?.id, created_at: 1, updated_at: 1 });
            return trx('teams').count({ n: '*' });
          },
          () => trx('settings').insert({ key: 'side', value: '1', updated_at: 1 }).returning('key'),
        ),
      );
      assert.equal(Number((teams[0] as { n: number | string }).n), 1);
      assert.deepEqual(settings, [{ key: 'side' }]);
      assert.equal((await t.db('agents').where({ external_id: 'a-1' })).length, 1);
    });

    for (const failing of ['first', 'second'] as const) {
      it(`keeps nothing of either part when the ${failing} part fails`, async () => {
        const busy = (trx: typeof t.db) => async () => {
          await trx('teams').insert({ name: `queued ${failing}`, created_at: 1 });
          await trx('settings').insert({ key: `queued ${failing}`, value: '1', updated_at: 1 });
        };
        await assert.rejects(
          runTransaction(t.db, (trx) => {
            // A statement the database refuses (teams.name is NOT NULL).
            const broken = async (): Promise<void> => {
              await trx('teams').insert({ name: null, created_at: 1 });
            };
            return failing === 'first' ? runSideBySide(trx, broken, busy(trx)) : runSideBySide(trx, busy(trx), broken);
          }),
          /NOT NULL|null value/,
        );
        assert.equal((await t.db('teams').where({ name: `queued ${failing}` })).length, 0);
        assert.equal((await t.db('settings').where({ key: `queued ${failing}` })).length, 0);
        // The transaction ended cleanly: the connection takes new work.
        await t.db('settings').insert({ key: `after ${failing}`, value: '1', updated_at: 1 });
        assert.equal((await t.db('settings').where({ key: `after ${failing}` })).length, 1);
      });
    }
  });
}
