/**
 * The baseline of bench/kpis: the same KPI counts computed by one aggregate SQL query over the raw rows
 * (interactions ⨝ agents ⨝ surveys ⨝ responses), the way one would without rollups. It leaves out the
 * time percentiles (SQLite has no percentile aggregate), so it does less work than the API: the ratio
 * it gives is a lower bound. Days and weeks are cut in UTC, the zone the benchmark server runs in.
 */
import sqlite3 from 'sqlite3';

const COUNTS = `count(*) as interactions, count(s.sent_at) as surveys_sent,
  sum(case when r.nps is not null or r.csat is not null or r.ces is not null or trim(coalesce(r.comment, '')) <> '' then 1 else 0 end) as responses,
  count(r.nps) as nps_n, sum(r.nps >= 9) as promoters, sum(r.nps between 7 and 8) as passives, sum(r.nps <= 6) as detractors,
  count(r.csat) as csat_n, sum(r.csat >= 4) as satisfied, sum(r.csat) as csat_sum,
  count(r.ces) as ces_n, sum(r.ces >= 5) as easy, sum(r.ces) as ces_sum, sum(r.ces * r.ces) as ces_sum_sq,
  count(i.contacts) as fcr_n, sum(i.contacts = 1) as fcr_first,
  count(i.first_response_at - i.opened_at) as first_response_n, count(i.closed_at - i.opened_at) as resolution_n`;

const FROM = `from interactions i join agents a on a.id = i.agent_id
  left join surveys s on s.interaction_id = i.id left join responses r on r.survey_id = s.id
  where i.closed_at >= ? and i.closed_at < ?`;

/** The raw-row query for `group_by=agent,channel`. */
export const BY_AGENT_CHANNEL = `select a.external_id as agent, i.channel, ${COUNTS} ${FROM} group by a.external_id, i.channel`;

/** The raw-row query for `group_by=week` (ISO Monday, UTC). */
export const BY_WEEK = `select date(i.closed_at / 1000, 'unixepoch', '-6 days', 'weekday 1') as week, ${COUNTS} ${FROM} group by week`;

/** Runs `sql` over [start, end) on a read-only connection and returns the wall time in ms and the row count. */
export function timeRawQuery(file: string, sql: string, start: number, end: number): Promise<{ ms: number; rows: number }> {
  return new Promise((resolve, reject) => {
    const db = new sqlite3.Database(file, sqlite3.OPEN_READONLY, (openError) => {
      if (openError) return reject(openError);
      const started = performance.now();
      db.all(sql, [start, end], (error, rows) => {
        const ms = performance.now() - started;
        db.close();
        if (error) reject(error);
        else resolve({ ms, rows: rows.length });
      });
    });
  });
}
