/**
 * GET /api/v1/kpis's body. JSON.stringify of a 1,200-group report is ~5 ms, most of it turning doubles
 * into text; groups are immutable and reused between queries when unchanged (scored-group-memo.ts), so
 * each one's JSON is kept with its object and only new groups are serialized.
 */
import type { KpiGroup, KpiReport } from './kpi-report';

const texts = new WeakMap<KpiGroup, string>();

function groupJson(group: KpiGroup): string {
  let text = texts.get(group);
  if (text === undefined) {
    text = JSON.stringify(group);
    if (Object.isFrozen(group)) texts.set(group, text);
  }
  return text;
}

/** The report as JSON, in JSON.stringify's member order. */
export function kpiReportJson(report: KpiReport): string {
  const { total, groups, ...head } = report;
  return `${JSON.stringify(head).slice(0, -1)},"total":${groupJson(total)},"groups":[${groups.map(groupJson).join(',')}]}`;
}
