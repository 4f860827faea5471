/** The shape of GET /api/v1/kpis (CONTRACT §3), shared by the rollup and raw-row computations. */
import type { KpiGroupScores } from '../scoring';
import type { Dimension } from './kpi-query';

/** A group's key: one entry per `group_by` dimension (team may be null: interactions without a team). */
export type GroupKey = Partial<Record<Dimension, string | null>>;

/** One scored group. */
export type KpiGroup = { readonly key: GroupKey } & KpiGroupScores;

/** The whole answer. */
export interface KpiReport {
  readonly from: string;
  readonly to: string;
  readonly group_by: readonly Dimension[];
  readonly min_responses: number;
  readonly total: KpiGroup;
  readonly groups: readonly KpiGroup[];
}

/** Orders groups by their key values, dimension by dimension (a null team sorts first). */
export function compareKeys(a: GroupKey, b: GroupKey, dims: readonly Dimension[]): number {
  for (const d of dims) {
    const x = a[d] ?? '';
    const y = b[d] ?? '';
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}
