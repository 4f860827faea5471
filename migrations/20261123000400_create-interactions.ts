import type { Knex } from 'knex';

// One row per closed ticket, chat or call. (source, external_id) is unique: it is the idempotency key
// that makes a repeated trigger a duplicate, also when two requests race.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('interactions', (t) => {
    t.uuid('id').primary();
    t.string('source', 64).notNullable();
    t.string('external_id', 200).notNullable();
    t.string('channel', 32).notNullable();
    t.integer('agent_id').notNullable().references('id').inTable('agents');
    t.integer('team_id').references('id').inTable('teams');
    t.integer('customer_id').references('id').inTable('customers');
    t.bigInteger('opened_at');
    t.bigInteger('first_response_at');
    t.bigInteger('closed_at').notNullable();
    t.integer('contacts');
    t.text('metadata');
    t.bigInteger('created_at').notNullable();
    t.unique(['source', 'external_id']);
    t.index(['closed_at']);
    t.index(['agent_id', 'closed_at']);
    t.index(['customer_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('interactions');
}
