import type { Knex } from 'knex';

// A change counter per rollup period (level, period), moved in the same transaction as the period's
// kpi_rollups rows: the KPI query keeps the cells of a period in memory and reads them again only when
// the period's counter moved. A period's version is the sum over its shards: PostgreSQL writers each bump
// one of several shard rows, so concurrent transactions do not queue behind one hot row per day; every
// committed change still raises the sum. The next migration versions the periods that already have rollups.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('kpi_period_versions', (t) => {
    t.string('level', 1).notNullable();
    t.string('period', 10).notNullable();
    t.integer('shard').notNullable();
    t.bigInteger('version').notNullable();
    t.primary(['level', 'period', 'shard']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('kpi_period_versions');
}
