import type { Knex } from 'knex';

// At most one response per survey (unique survey_id), changed in place until the survey expires, and the
// follow-up of unhappy answers by support leads.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('responses', (t) => {
    t.uuid('id').primary();
    t.uuid('survey_id').notNullable().unique().references('id').inTable('surveys');
    t.uuid('interaction_id').notNullable().references('id').inTable('interactions');
    t.smallint('nps');
    t.smallint('csat');
    t.smallint('ces');
    t.text('comment');
    t.string('locale', 16);
    t.string('user_agent', 512);
    t.bigInteger('first_submitted_at').notNullable();
    t.bigInteger('updated_at').notNullable();
    t.index(['interaction_id']);
    t.index(['updated_at']);
  });
  await knex.schema.createTable('follow_ups', (t) => {
    t.uuid('response_id').primary().references('id').inTable('responses').onDelete('CASCADE');
    t.string('status', 16).notNullable();
    t.text('note');
    t.uuid('updated_by').references('id').inTable('users');
    t.bigInteger('created_at').notNullable();
    t.bigInteger('updated_at').notNullable();
    t.index(['status', 'updated_at']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('follow_ups');
  await knex.schema.dropTableIfExists('responses');
}
