/**
 * The answers the Responses page, its CSV and the agent page read: filtered like the KPIs (closed_at in
 * the report dates, agent, team, channel) plus a score band, comment presence, a text search and the
 * follow-up status; newest first, one keyset page at a time.
 *
 * "Unhappy" is any rating at the low end of its scale: NPS 0–6 (a detractor), CSAT 1–2, CES 1–3.
 * "Happy" is not unhappy with at least one rating at the top (NPS 9–10, CSAT 4–5, CES 5–7).
 */
import type { Knex } from 'knex';
import type { Db } from '../db/knex';
import { newestAnswersFirst, withinReport } from '../kpis/report-scope';
import type { ReportFilters, ResponsesCursor } from '../kpis/schema';

export const BANDS = ['unhappy', 'neutral', 'happy'] as const;
export type Band = (typeof BANDS)[number];
export const FOLLOW_UP_STATUSES = ['open', 'contacted', 'closed'] as const;
export type FollowUpStatus = (typeof FOLLOW_UP_STATUSES)[number];

const UNHAPPY = '(coalesce(r.nps, 99) <= 6 or coalesce(r.csat, 99) <= 2 or coalesce(r.ces, 99) <= 3)';
const HAPPY = '(coalesce(r.nps, -1) >= 9 or coalesce(r.csat, -1) >= 4 or coalesce(r.ces, -1) >= 5)';

export interface ResponseFilters extends ReportFilters {
  readonly band: Band | null;
  readonly hasComment: boolean;
  /** Text the comment must contain (case-insensitive for ASCII). */
  readonly search: string | null;
  /** Follow-up status; 'open' includes unhappy answers nobody has touched yet. */
  readonly followUp: FollowUpStatus | null;
}

export interface ResponseRow {
  readonly id: string;
  readonly interactionId: string;
  readonly externalId: string;
  readonly source: string;
  readonly agent: string;
  readonly agentName: string | null;
  readonly team: string | null;
  readonly channel: string;
  readonly closedAt: number;
  readonly answeredAt: number;
  readonly nps: number | null;
  readonly csat: number | null;
  readonly ces: number | null;
  readonly comment: string | null;
  readonly unhappy: boolean;
  /** An http(s) link to the ticket from the trigger's metadata.ticket_url, else null. */
  readonly ticketUrl: string | null;
  readonly followUp: { readonly status: FollowUpStatus; readonly note: string | null; readonly by: string | null; readonly at: number } | null;
}

/** Where a page ends: the last answer's first submission and id (the API's cursor, unencoded). */
export type PageCursor = ResponsesCursor;

function ticketUrlOf(metadata: string | null): string | null {
  if (!metadata) return null;
  try {
    const url = (JSON.parse(metadata) as { ticket_url?: unknown }).ticket_url;
    return typeof url === 'string' && /^https?:\/\//i.test(url) && URL.canParse(url) ? url : null;
  } catch {
    return null;
  }
}

function baseQuery(db: Db, timeZone: string, f: ResponseFilters): Knex.QueryBuilder {
  const q = withinReport(
    db('responses as r').join('interactions as i', 'i.id', 'r.interaction_id').leftJoin('follow_ups as f', 'f.response_id', 'r.id').leftJoin('users as u', 'u.id', 'f.updated_by'),
    timeZone,
    f,
  );
  if (f.band === 'unhappy') q.whereRaw(UNHAPPY);
  if (f.band === 'happy') q.whereRaw(`${HAPPY} and not ${UNHAPPY}`);
  if (f.band === 'neutral') q.whereRaw(`not ${HAPPY} and not ${UNHAPPY}`);
  if (f.hasComment) q.whereNotNull('r.comment').andWhere('r.comment', '<>', '');
  if (f.search !== null) q.whereRaw("lower(r.comment) like ? escape '\\'", [`%${f.search.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`]);
  if (f.followUp === 'open') q.whereRaw(UNHAPPY).andWhere((w) => w.whereNull('f.status').orWhere('f.status', 'open'));
  else if (f.followUp !== null) q.where('f.status', f.followUp);
  return q;
}

interface Row {
  id: string;
  interaction_id: string;
  external_id: string;
  source: string;
  agent: string;
  agent_name: string | null;
  team: string | null;
  channel: string;
  closed_at: number | string;
  first_submitted_at: number | string;
  nps: number | null;
  csat: number | null;
  ces: number | null;
  comment: string | null;
  metadata: string | null;
  unhappy: number | boolean;
  follow_status: FollowUpStatus | null;
  follow_note: string | null;
  follow_by: string | null;
  follow_at: number | string | null;
}

function toRow(r: Row): ResponseRow {
  return {
    id: r.id,
    interactionId: r.interaction_id,
    externalId: r.external_id,
    source: r.source,
    agent: r.agent,
    agentName: r.agent_name,
    team: r.team,
    channel: r.channel,
    closedAt: Number(r.closed_at),
    answeredAt: Number(r.first_submitted_at),
    nps: r.nps,
    csat: r.csat,
    ces: r.ces,
    comment: r.comment,
    unhappy: Boolean(Number(r.unhappy)),
    ticketUrl: ticketUrlOf(r.metadata),
    followUp: r.follow_status === null ? null : { status: r.follow_status, note: r.follow_note, by: r.follow_by, at: Number(r.follow_at) },
  };
}

/** One page of answers, newest first, and the cursor of the next page (null on the last). */
export async function findResponses(db: Db, timeZone: string, f: ResponseFilters, limit: number, cursor: PageCursor | null): Promise<{ rows: ResponseRow[]; next: PageCursor | null }> {
  const q = baseQuery(db, timeZone, f)
    .select(
      'r.id', 'r.interaction_id', 'i.external_id', 'i.source', 'a.external_id as agent', 'a.name as agent_name', 't.name as team', 'i.channel',
      'i.closed_at', 'r.first_submitted_at', 'r.nps', 'r.csat', 'r.ces', 'r.comment', 'i.metadata',
      db.raw(`case when ${UNHAPPY} then 1 else 0 end as unhappy`),
      'f.status as follow_status', 'f.note as follow_note', db.raw('coalesce(u.name, u.email) as follow_by'), 'f.updated_at as follow_at',
    );
  const rows = ((await newestAnswersFirst(q, limit, cursor)) as Row[]).map(toRow);
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return { rows: page, next: rows.length > limit && last ? { answeredAt: last.answeredAt, id: last.id } : null };
}

/** The newest answers with a comment, for an agent's page. */
export async function recentComments(db: Db, timeZone: string, f: ReportFilters, limit: number): Promise<ResponseRow[]> {
  return (await findResponses(db, timeZone, { ...f, band: null, hasComment: true, search: null, followUp: null }, limit, null)).rows;
}
