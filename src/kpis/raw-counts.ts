/**
 * One interaction with its survey and response, as the raw KPI query and the rollup rebuild both read
 * it, and the KPI counts it contributes: the rule that the rollups must equal the raw rows lives here once.
 */
import { countAnswers, countInteraction, countSurveySent, type KpiCounts } from '../scoring';

/** The counted columns of interactions ⟕ surveys ⟕ responses. */
export interface RawCountsRow {
  closed_at: number | string;
  opened_at: number | string | null;
  first_response_at: number | string | null;
  contacts: number | null;
  sent_at: number | string | null;
  response_id: string | null;
  nps: number | null;
  csat: number | null;
  ces: number | null;
  comment: string | null;
}

/** The select list for RawCountsRow over `interactions as i`, `surveys as s`, `responses as r`. */
export const RAW_COUNT_COLUMNS = ['i.closed_at', 'i.opened_at', 'i.first_response_at', 'i.contacts', 's.sent_at', 'r.id as response_id', 'r.nps', 'r.csat', 'r.ces', 'r.comment'] as const;

const num = (v: number | string | null): number | null => (v === null ? null : Number(v));

/** The KPI counts one row contributes: the interaction, its survey if sent, its answers if any. */
export function countRawRow(row: RawCountsRow): KpiCounts[] {
  const parts = [countInteraction({ contacts: row.contacts, openedAt: num(row.opened_at), firstResponseAt: num(row.first_response_at), closedAt: Number(row.closed_at) })];
  if (row.sent_at !== null) parts.push(countSurveySent());
  if (row.response_id !== null) parts.push(countAnswers({ nps: row.nps, csat: row.csat, ces: row.ces, comment: row.comment }));
  return parts;
}
