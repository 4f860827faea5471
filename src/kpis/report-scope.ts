/**
 * What a report's filters mean in SQL (CONTRACT §3): an interaction counts when its closed_at falls in the
 * report dates (cut in REPORT_TIMEZONE) and it matches the agent's external id, the team name and the
 * channel. Shared by every query over raw rows: the raw KPIs, GET /api/v1/responses and the dashboard;
 * the last two also share how answers are paged.
 */
import type { Knex } from 'knex';
import { rangeOf } from './report-calendar';
import type { ReportFilters, ResponsesCursor } from './schema';

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

/**
 * Orders answers (`responses as r`) newest first by first submission, then id, and starts after
 * `cursor`. It asks for one row more than `limit`: the caller knows from it whether another page follows.
 */
export function newestAnswersFirst<Q extends Knex.QueryBuilder>(query: Q, limit: number, cursor: ResponsesCursor | null): Q {
  query
    .orderBy([
      { column: 'r.first_submitted_at', order: 'desc' },
      { column: 'r.id', order: 'desc' },
    ])
    .limit(limit + 1);
  if (cursor !== null) {
    const { answeredAt, id } = cursor;
    query.where((w) => w.where('r.first_submitted_at', '<', answeredAt).orWhere((x) => x.where('r.first_submitted_at', answeredAt).andWhere('r.id', '<', id)));
  }
  return query;
}
