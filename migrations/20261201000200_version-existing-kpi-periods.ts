import type { Knex } from 'knex';

// Every period that already has rollup rows gets its first version, so the KPI query sees and caches it.
export async function up(knex: Knex): Promise<void> {
  await knex.raw('insert into kpi_period_versions (level, period, shard, version) select distinct level, period, 0, 1 from kpi_rollups');
}

export async function down(knex: Knex): Promise<void> {
  await knex('kpi_period_versions').delete();
}
