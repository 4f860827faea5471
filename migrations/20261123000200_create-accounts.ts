import type { Knex } from 'knex';

// Dashboard users, their server-side sessions, and integration API keys. Secrets are stored hashed only.
// Instants throughout the schema are epoch milliseconds (bigint) so both engines compare them alike.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('users', (t) => {
    t.uuid('id').primary();
    t.string('email', 254).notNullable().unique();
    t.string('name', 200);
    t.string('role', 16).notNullable();
    t.string('password_hash', 255).notNullable();
    t.bigInteger('created_at').notNullable();
    t.bigInteger('updated_at').notNullable();
    t.bigInteger('last_login_at');
    t.bigInteger('disabled_at');
  });
  await knex.schema.createTable('sessions', (t) => {
    t.string('id_hash', 64).primary();
    t.uuid('user_id').notNullable().references('id').inTable('users').onDelete('CASCADE');
    t.bigInteger('created_at').notNullable();
    t.bigInteger('last_seen_at').notNullable();
    t.bigInteger('expires_at').notNullable().index();
    t.index(['user_id']);
  });
  await knex.schema.createTable('api_keys', (t) => {
    t.uuid('id').primary();
    t.string('name', 100).notNullable();
    t.string('prefix', 16).notNullable();
    t.string('key_hash', 64).notNullable().unique();
    t.bigInteger('created_at').notNullable();
    t.bigInteger('last_used_at');
    t.bigInteger('revoked_at');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('api_keys');
  await knex.schema.dropTableIfExists('sessions');
  await knex.schema.dropTableIfExists('users');
}
