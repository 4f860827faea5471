import type { Knex } from 'knex';

// The email outbox: one row per survey email, written in the survey's own transaction. Workers claim
// due rows (status pending → sending with a lease) and record the outcome on the row.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('outbox_messages', (t) => {
    t.uuid('id').primary();
    t.uuid('survey_id').notNullable().unique().references('id').inTable('surveys');
    t.string('status', 16).notNullable();
    t.string('message_id', 255).notNullable().unique();
    t.bigInteger('due_at').notNullable();
    t.integer('attempts').notNullable().defaultTo(0);
    t.text('last_error');
    t.string('worker_id', 64);
    t.bigInteger('lease_expires_at');
    t.bigInteger('sent_at');
    t.boolean('captured').notNullable().defaultTo(false);
    t.text('subject');
    t.text('html');
    t.text('text');
    t.bigInteger('created_at').notNullable();
    t.bigInteger('updated_at').notNullable();
    t.index(['status', 'due_at']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('outbox_messages');
}
