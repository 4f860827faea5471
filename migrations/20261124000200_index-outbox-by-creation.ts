import type { Knex } from 'knex';

// The dashboard's Outbox lists emails newest first, one keyset page at a time: without this index each
// page would sort the whole table.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('outbox_messages', (t) => {
    t.index(['created_at', 'id'], 'outbox_messages_created_at_id_index');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('outbox_messages', (t) => {
    t.dropIndex(['created_at', 'id'], 'outbox_messages_created_at_id_index');
  });
}
