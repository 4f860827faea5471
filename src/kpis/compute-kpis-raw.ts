/**
 * The KPIs of a query (CONTRACT §3): every interaction closed in the range counts for its group, with its
 * survey (when sent) and its response (when answered). Groups come from the agent's external id, the
 * team, the channel, and the local day, ISO week or month of closed_at in REPORT_TIMEZONE.
 *
 * This version aggregates the raw rows of the range on each request: the reference computation. The API
 * reads the rollups instead (compute-kpis-from-rollups.ts) and falls back to this one only while the
 * rollups were built for another time zone; tests check both agree, and the benchmark times both.
 */
import type { Db } from '../db/knex';
import { scoreGroup } from '../scoring';
import { CountsAccumulator } from './counts-accumulator';
import { compareKeys, type GroupKey, type KpiReport } from './kpi-report';
import type { KpiQuery } from './kpi-query';
import { countRawRow, RAW_COUNT_COLUMNS, type RawCountsRow } from './raw-counts';
import { dayLookup, monthOf, weekOf } from './report-calendar';
import { withinReport } from './report-scope';

type Row = RawCountsRow & { channel: string; agent: string; team: string | null };

/** The KPIs of a query computed from the raw rows of its range (the reference the rollups must equal). */
export async function computeKpisFromRawRows(db: Db, timeZone: string, minResponses: number, q: KpiQuery): Promise<KpiReport> {
  const query = withinReport(
    db('interactions as i').leftJoin('surveys as s', 's.interaction_id', 'i.id').leftJoin('responses as r', 'r.survey_id', 's.id'),
    timeZone,
    q,
  ).select(...RAW_COUNT_COLUMNS, 'i.channel', 'a.external_id as agent', 't.name as team');
  const rows = (await query) as Row[];

  const localDay = dayLookup(timeZone);
  const total = new CountsAccumulator();
  const groups = new Map<string, { key: GroupKey; counts: CountsAccumulator }>();
  for (const row of rows) {
    const closedAt = Number(row.closed_at);
    const key: GroupKey = {};
    for (const d of q.groupBy) {
      if (d === 'agent') key.agent = row.agent;
      else if (d === 'team') key.team = row.team;
      else if (d === 'channel') key.channel = row.channel;
      else {
        const day = localDay(closedAt);
        key[d] = d === 'day' ? day : d === 'week' ? weekOf(day) : monthOf(day);
      }
    }
    const parts = countRawRow(row);
    const id = JSON.stringify(q.groupBy.map((d) => key[d]));
    let group = groups.get(id);
    if (!group) {
      group = { key, counts: new CountsAccumulator() };
      groups.set(id, group);
    }
    for (const c of parts) {
      total.add(c);
      group.counts.add(c);
    }
  }
  const scored = [...groups.values()].sort((a, b) => compareKeys(a.key, b.key, q.groupBy)).map((g) => ({ key: g.key, ...scoreGroup(g.counts.result(), minResponses) }));
  return {
    from: q.from,
    to: q.to,
    group_by: q.groupBy,
    min_responses: minResponses,
    total: { key: {}, ...scoreGroup(total.result(), minResponses) },
    groups: q.groupBy.length === 0 ? [] : scored,
  };
}
