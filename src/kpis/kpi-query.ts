/**
 * GET /api/v1/kpis parameters: the report range and filters (see schema.ts) and `group_by`, one or two
 * distinct dimensions of agent, team, channel, day, week, month.
 */
import type { FieldIssue } from '../errors';
import { parseFilters, type Parsed, type ReportFilters } from './schema';

export const DIMENSIONS = ['agent', 'team', 'channel', 'day', 'week', 'month'] as const;
export type Dimension = (typeof DIMENSIONS)[number];

export interface KpiQuery extends ReportFilters {
  readonly groupBy: readonly Dimension[];
}

export function parseKpiQuery(query: Record<string, unknown>, today: string): Parsed<KpiQuery> {
  const issues: FieldIssue[] = [];
  const filters = parseFilters(query, today, issues);
  const raw = query.group_by;
  let groupBy: Dimension[] = [];
  if (raw !== undefined) {
    if (typeof raw !== 'string') issues.push({ path: 'group_by', message: 'must be given once, as a comma-separated list' });
    else if (raw.trim() !== '') {
      const parts = raw.split(',').map((p) => p.trim());
      const known = parts.every((p): p is Dimension => (DIMENSIONS as readonly string[]).includes(p));
      if (!known || parts.length > 2 || new Set(parts).size !== parts.length) {
        issues.push({ path: 'group_by', message: `must be one or two different dimensions of ${DIMENSIONS.join(', ')}` });
      } else groupBy = parts;
    }
  }
  return issues.length > 0 ? { ok: false, issues } : { ok: true, value: { ...filters, groupBy } };
}
