import type { Knex } from 'knex';

// One survey per interaction, suppressed ones included (their reason is the record of the decision).
// Tokens live in their own table as SHA-256 hashes: a survey may be issued a token per send attempt.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('surveys', (t) => {
    t.uuid('id').primary();
    t.uuid('interaction_id').notNullable().unique().references('id').inTable('interactions');
    t.integer('customer_id').references('id').inTable('customers');
    t.string('status', 16).notNullable();
    t.string('reason', 32);
    t.string('locale', 16);
    t.bigInteger('send_at');
    t.bigInteger('sent_at');
    t.bigInteger('expires_at');
    t.bigInteger('created_at').notNullable();
    t.bigInteger('updated_at').notNullable();
    t.index(['customer_id', 'send_at']);
    t.index(['status', 'expires_at']);
  });
  await knex.schema.createTable('survey_tokens', (t) => {
    t.string('token_hash', 64).primary();
    t.uuid('survey_id').notNullable().references('id').inTable('surveys').onDelete('CASCADE');
    t.bigInteger('created_at').notNullable();
    t.index(['survey_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('survey_tokens');
  await knex.schema.dropTableIfExists('surveys');
}
