/**
 * What a report's filters mean in SQL (CONTRACT §3): an interaction counts when its closed_at falls in the
 * report dates (cut in REPORT_TIMEZONE) and it matches the agent's external id, the team name and the
 * channel. Shared by every query over raw rows: the raw KPIs, GET /api/v1/responses and the dashboard.
 */
import type { Knex } from 'knex';
import { rangeOf } from './report-calendar';
import type { ReportFilters } from './schema';

/**
 * Joins the interaction's agent and team and applies the filters. The query must already have
 * `interactions as i` (from or joined); `agents as a` and `teams as t` are added here.
 */
export function withinReport<Q extends Knex.QueryBuilder>(query: Q, timeZone: string, f: ReportFilters): Q {
  const { start, end } = rangeOf(f.from, f.to, timeZone);
  query.join('agents as a', 'a.id', 'i.agent_id').leftJoin('teams as t', 't.id', 'i.team_id').where('i.closed_at', '>=', start).andWhere('i.closed_at', '<', end);
  if (f.agent !== null) query.where('a.external_id', f.agent);
  if (f.team !== null) query.where('t.name', f.team);
  if (f.channel !== null) query.where('i.channel', f.channel);
  return query;
}
