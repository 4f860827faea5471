/**
 * GET /api/v1/responses: answers newest first (by first submission), filtered like the KPIs — the
 * interaction's closed_at within the report dates, agent, team, channel — one keyset page at a time,
 * so pages stay stable while new answers arrive.
 */
import type { Db } from '../db/knex';
import { newestAnswersFirst, withinReport } from './report-scope';
import { encodeCursor, type ResponsesQuery } from './schema';

export interface ResponseItem {
  readonly interaction_id: string;
  readonly external_id: string;
  readonly source: string;
  readonly agent: string;
  readonly team: string | null;
  readonly channel: string;
  readonly closed_at: string;
  readonly answered_at: string;
  readonly changed_at: string;
  readonly nps: number | null;
  readonly csat: number | null;
  readonly ces: number | null;
  readonly comment: string | null;
}

interface Row {
  id: string;
  interaction_id: string;
  external_id: string;
  source: string;
  agent: string;
  team: string | null;
  channel: string;
  closed_at: number | string;
  first_submitted_at: number | string;
  updated_at: number | string;
  nps: number | null;
  csat: number | null;
  ces: number | null;
  comment: string | null;
}

const iso = (ms: number | string): string => new Date(Number(ms)).toISOString();

export async function listResponses(db: Db, timeZone: string, q: ResponsesQuery): Promise<{ items: ResponseItem[]; next_cursor: string | null }> {
  const scoped = withinReport(db('responses as r').join('interactions as i', 'i.id', 'r.interaction_id'), timeZone, q)
    .select(
      'r.id',
      'r.interaction_id',
      'i.external_id',
      'i.source',
      'a.external_id as agent',
      't.name as team',
      'i.channel',
      'i.closed_at',
      'r.first_submitted_at',
      'r.updated_at',
      'r.nps',
      'r.csat',
      'r.ces',
      'r.comment',
    );
  const query = newestAnswersFirst(scoped, q.limit, q.cursor);
  const rows = (await query) as Row[];
  const page = rows.slice(0, q.limit);
  const last = page.at(-1);
  return {
    items: page.map((r) => ({
      interaction_id: r.interaction_id,
      external_id: r.external_id,
      source: r.source,
      agent: r.agent,
      team: r.team,
      channel: r.channel,
      closed_at: iso(r.closed_at),
      answered_at: iso(r.first_submitted_at),
      changed_at: iso(r.updated_at),
      nps: r.nps,
      csat: r.csat,
      ces: r.ces,
      comment: r.comment,
    })),
    next_cursor: rows.length > q.limit && last ? encodeCursor({ answeredAt: Number(last.first_submitted_at), id: last.id }) : null,
  };
}
