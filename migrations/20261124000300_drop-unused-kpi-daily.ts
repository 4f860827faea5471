import type { Knex } from 'knex';

// kpi_daily and kpi_daily_times were the first rollup design; kpi_rollups replaced them before they were
// ever written. `down` recreates them as they were.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('kpi_daily_times');
  await knex.schema.dropTableIfExists('kpi_daily');
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.createTable('kpi_daily', (t) => {
    t.string('day', 10).notNullable();
    t.integer('agent_id').notNullable();
    t.integer('team_id').notNullable();
    t.string('channel', 32).notNullable();
    for (const column of [
      'interactions', 'surveys_sent', 'responses',
      'nps_n', 'nps_promoters', 'nps_passives', 'nps_detractors',
      'csat_n', 'csat_satisfied', 'csat_sum',
      'ces_n', 'ces_easy', 'ces_sum', 'ces_sum_sq',
      'fcr_n', 'fcr_first',
    ]) {
      t.integer(column).notNullable().defaultTo(0);
    }
    t.primary(['day', 'agent_id', 'team_id', 'channel']);
    t.index(['agent_id', 'day']);
  });
  await knex.schema.createTable('kpi_daily_times', (t) => {
    t.string('day', 10).notNullable();
    t.integer('agent_id').notNullable();
    t.integer('team_id').notNullable();
    t.string('channel', 32).notNullable();
    t.string('metric', 16).notNullable();
    t.integer('bucket').notNullable();
    t.integer('count').notNullable().defaultTo(0);
    t.primary(['day', 'agent_id', 'team_id', 'channel', 'metric', 'bucket']);
  });
}
