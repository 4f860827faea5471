import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { migrationConfig } from '../../src/db/knex';
import { ENGINES, createTestDatabase, type TestDatabase } from '../support/database';

const TABLES = ['settings', 'users', 'sessions', 'api_keys', 'teams', 'agents', 'customers', 'interactions', 'surveys', 'survey_tokens', 'responses', 'follow_ups', 'outbox_messages', 'kpi_rollups', 'kpi_period_versions'];

for (const engine of ENGINES) {
  describe(`migrations (${engine})`, () => {
    let t: TestDatabase;
    before(async () => {
      t = await createTestDatabase(engine);
    });
    after(async () => t.cleanup());

    it('create every table of the data model', async () => {
      for (const table of TABLES) assert.ok(await t.db.schema.hasTable(table), `${table} exists`);
    });

    it('roll back completely and apply again', async () => {
      await t.db.migrate.rollback(migrationConfig, true);
      for (const table of TABLES) assert.equal(await t.db.schema.hasTable(table), false, `${table} dropped`);
      await t.db.migrate.latest(migrationConfig);
      for (const table of TABLES) assert.ok(await t.db.schema.hasTable(table));
    });

    it('guard integrity: (source, external_id) is unique and foreign keys hold', async () => {
      const now = Date.now();
      const [agent] = (await t.db('agents').insert({ external_id: 'a', created_at: now, updated_at: now }).returning(['id'])) as { id: number }[];
      const row = { source: 's', external_id: 'e', channel: 'chat', agent_id: agent?.id, closed_at: now, created_at: now };
      await t.db('interactions').insert({ id: '00000000-0000-4000-8000-000000000001', ...row });
      await assert.rejects(t.db('interactions').insert({ id: '00000000-0000-4000-8000-000000000002', ...row }));
      await assert.rejects(t.db('interactions').insert({ ...row, id: '00000000-0000-4000-8000-000000000003', external_id: 'f', agent_id: 999_999 }));
    });
  });
}

describe('SQLite connection settings', () => {
  let t: TestDatabase;
  before(async () => {
    t = await createTestDatabase('sqlite');
  });
  after(async () => t.cleanup());

  it('runs in WAL mode with foreign keys, full sync and a busy timeout', async () => {
    const pragma = async (name: string) => Object.values(((await t.db.raw(`PRAGMA ${name}`)) as Record<string, unknown>[])[0] ?? {})[0];
    assert.equal(await pragma('journal_mode'), 'wal');
    assert.equal(await pragma('foreign_keys'), 1);
    assert.equal(await pragma('synchronous'), 2);
    assert.equal(await pragma('busy_timeout'), 5000);
  });
});
