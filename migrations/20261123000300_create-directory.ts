import type { Knex } from 'knex';

// Teams, agents and customers as triggers describe them. A customer is one normalised email address,
// the unit of throttling and unsubscribing.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('teams', (t) => {
    t.increments('id');
    t.string('name', 100).notNullable().unique();
    t.bigInteger('created_at').notNullable();
  });
  await knex.schema.createTable('agents', (t) => {
    t.increments('id');
    t.string('external_id', 200).notNullable().unique();
    t.string('name', 200);
    t.string('email', 254);
    t.integer('team_id').references('id').inTable('teams');
    t.bigInteger('created_at').notNullable();
    t.bigInteger('updated_at').notNullable();
  });
  await knex.schema.createTable('customers', (t) => {
    t.increments('id');
    t.string('email', 254).notNullable().unique();
    t.string('name', 200);
    t.string('locale', 16);
    t.string('external_id', 200);
    t.bigInteger('unsubscribed_at');
    t.bigInteger('created_at').notNullable();
    t.bigInteger('updated_at').notNullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('customers');
  await knex.schema.dropTableIfExists('agents');
  await knex.schema.dropTableIfExists('teams');
}
