/**
 * The KPIs of one GROUP (GET /api/v1/kpis) as the dashboard shows them: one entry per metric with its
 * full-precision value (kept in the page as `<data value>` so tests and scripts can compare it with the
 * API) and its rounded display text.
 */
import type { KpiGroup } from '../kpis/compute-kpis';

export const METRIC_IDS = ['nps', 'csat', 'ces', 'fcr', 'response_rate', 'first_response', 'resolution'] as const;
export type MetricId = (typeof METRIC_IDS)[number];

export interface MetricView {
  readonly id: MetricId;
  readonly label: string;
  /** Full precision, as in the API; null when the metric has no sample. */
  readonly value: number | null;
  readonly display: string;
  /** The sample size the value rests on. */
  readonly n: number;
  readonly ci: readonly [number, number] | null;
  readonly ciDisplay: string | null;
  /** For times: the 90th percentile. */
  readonly p90: number | null;
  readonly higherIsBetter: boolean;
}

export const METRIC_LABELS: Readonly<Record<MetricId, string>> = {
  nps: 'NPS',
  csat: 'CSAT',
  ces: 'CES',
  fcr: 'FCR',
  response_rate: 'Response rate',
  first_response: 'Median first response',
  resolution: 'Median resolution',
};

/** Decimal places each metric is shown with. */
const DECIMALS: Readonly<Record<MetricId, number>> = { nps: 1, csat: 1, ces: 2, fcr: 1, response_rate: 1, first_response: 0, resolution: 0 };

export function formatNumber(value: number | null, id: MetricId): string {
  if (value === null) return '—';
  if (id === 'first_response' || id === 'resolution') return formatDuration(value);
  const text = value.toFixed(DECIMALS[id]);
  return id === 'csat' || id === 'fcr' || id === 'response_rate' ? `${text}%` : text;
}

/**
 * 165 → "2m 45s", 4500 → "1h 15m", 190000 → "2d 5h": two units, the smaller one rounded to the nearest
 * (24594.7 s is 6h 49m 54.7s → "6h 50m").
 */
export function formatDuration(seconds: number): string {
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m ${String(s % 60).padStart(2, '0')}s`;
  const minutes = Math.round(s / 60);
  if (minutes < 24 * 60) return `${Math.floor(minutes / 60)}h ${String(minutes % 60).padStart(2, '0')}m`;
  const hours = Math.round(s / 3600);
  return `${Math.floor(hours / 24)}d ${hours % 24}h`;
}

function view(id: MetricId, value: number | null, n: number, ci: readonly [number, number] | null, p90: number | null = null): MetricView {
  const ciDisplay = ci === null ? null : `${ci[0].toFixed(DECIMALS[id])} – ${ci[1].toFixed(DECIMALS[id])}`;
  return { id, label: METRIC_LABELS[id], value, display: formatNumber(value, id), n, ci, ciDisplay, p90, higherIsBetter: id !== 'first_response' && id !== 'resolution' };
}

export function metricsOf(g: KpiGroup): Record<MetricId, MetricView> {
  return {
    nps: view('nps', g.nps.score, g.nps.n, g.nps.ci95),
    csat: view('csat', g.csat.score, g.csat.n, g.csat.ci95),
    ces: view('ces', g.ces.score, g.ces.n, g.ces.ci95),
    fcr: view('fcr', g.fcr.rate, g.fcr.n, null),
    response_rate: view('response_rate', g.response_rate === null ? null : 100 * g.response_rate, g.surveys_sent, null),
    first_response: view('first_response', g.first_response_seconds.median, g.first_response_seconds.n, null, g.first_response_seconds.p90),
    resolution: view('resolution', g.resolution_seconds.median, g.resolution_seconds.n, null, g.resolution_seconds.p90),
  };
}
