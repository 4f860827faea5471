import type { Knex } from 'knex';

// KPI counts per (level, period, agent, team, channel): level 'd' is a local day in the rollups' time zone,
// 'w' an ISO week (its Monday) and 'm' a month, so a long range reads a few rows per cell instead of one
// per day. team_id 0 stands for "no team" so the key has no NULLs. The two time columns hold a mergeable
// duration sketch as packed little-endian int32 (bucket, count) pairs: concatenating two of them is their
// union, so writers append with one `||` inside the upsert and readers merge with one aggregate.
// kpi_daily and kpi_daily_times (the first design) are dropped by a later migration.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('kpi_rollups', (t) => {
    t.string('level', 1).notNullable();
    t.string('period', 10).notNullable();
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
    t.binary('first_response_times').notNullable();
    t.binary('resolution_times').notNullable();
    t.primary(['level', 'period', 'agent_id', 'team_id', 'channel']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('kpi_rollups');
}
