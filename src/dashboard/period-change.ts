/**
 * The change of a KPI against the previous period, with a 95% interval for the difference of two
 * independent estimates: (a − b) ± 1.96·√(se_a² + se_b²). Each standard error comes from the group's
 * counts the way the contract's own interval does (NPS: the trinomial variance; CSAT, FCR and response
 * rate: the binomial one; CES: s/√n recovered from its interval). A change whose interval spans 0 is
 * reported as no clear change, so a lead is not sent chasing noise. Times get no interval.
 */
import type { KpiGroup } from '../kpis/compute-kpis';
import type { MetricId } from './kpi-view';

const Z = 1.96;

export interface PeriodChange {
  /** current − previous, in the metric's unit; null when either side has no value. */
  readonly delta: number | null;
  readonly ci: readonly [number, number] | null;
  /** 'up' or 'down' when the interval excludes 0, 'flat' when it does not, null without an interval. */
  readonly direction: 'up' | 'down' | 'flat' | null;
}

function proportionSe(successes: number, n: number): number | null {
  if (n === 0) return null;
  const p = successes / n;
  return 100 * Math.sqrt((p * (1 - p)) / n);
}

/** The standard error of a metric's value, in its display unit (points or percentage points). */
export function standardError(g: KpiGroup, id: MetricId): number | null {
  switch (id) {
    case 'nps': {
      const { n, promoters, detractors } = g.nps;
      if (n === 0) return null;
      const pp = promoters / n;
      const pd = detractors / n;
      return 100 * Math.sqrt((pp + pd - (pp - pd) ** 2) / n);
    }
    case 'csat':
      return proportionSe(g.csat.satisfied, g.csat.n);
    case 'ces':
      return g.ces.ci95 === null ? null : (g.ces.ci95[1] - g.ces.ci95[0]) / (2 * Z);
    case 'fcr':
      return proportionSe(g.fcr.first_contact, g.fcr.n);
    case 'response_rate':
      return proportionSe(g.responses, g.surveys_sent);
    default:
      return null;
  }
}

export function periodChange(current: number | null, previous: number | null, seCurrent: number | null, sePrevious: number | null): PeriodChange {
  if (current === null || previous === null) return { delta: null, ci: null, direction: null };
  const delta = current - previous;
  if (seCurrent === null || sePrevious === null) return { delta, ci: null, direction: null };
  const half = Z * Math.sqrt(seCurrent ** 2 + sePrevious ** 2);
  const ci = [delta - half, delta + half] as const;
  return { delta, ci, direction: ci[0] > 0 ? 'up' : ci[1] < 0 ? 'down' : 'flat' };
}
