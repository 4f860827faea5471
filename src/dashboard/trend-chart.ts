/**
 * A trend as an SVG drawn on the server: a line of the metric per period with its 95% band, and the
 * sample size as faint bars. No script is needed to see it; the same points are listed in a table for
 * screen readers. Periods without a value break the line instead of being drawn as zero.
 */

export interface TrendPoint {
  readonly label: string;
  readonly value: number | null;
  readonly ci: readonly [number, number] | null;
  readonly n: number;
}

export interface TrendChart {
  readonly width: number;
  readonly height: number;
  /** Path data of the line (`M`/`L` commands; gaps start a new `M`). */
  readonly line: string;
  /** Path data of the interval band, one closed shape per unbroken run. */
  readonly band: string;
  readonly dots: readonly { x: number; y: number; title: string }[];
  readonly bars: readonly { x: number; y: number; width: number; height: number }[];
  readonly yTicks: readonly { y: number; label: string }[];
  readonly xLabels: readonly { x: number; label: string }[];
  readonly baseline: number;
}

const W = 760;
const H = 240;
const PAD = { left: 44, right: 12, top: 12, bottom: 28 };

const fmt = (v: number): string => (Math.abs(v) >= 100 ? v.toFixed(0) : Math.abs(v) >= 10 ? v.toFixed(1).replace(/\.0$/, '') : v.toFixed(2).replace(/\.?0+$/, ''));

/** Lays out a chart for the points; `range` is the metric's natural scale (e.g. [−100, 100] for NPS). */
export function layoutTrend(points: readonly TrendPoint[], range: readonly [number, number] | null, unit = ''): TrendChart {
  const values = points.flatMap((p) => [p.value, ...(p.ci ?? [])]).filter((v): v is number => v !== null);
  let [lo, hi] = values.length > 0 ? [Math.min(...values), Math.max(...values)] : [0, 1];
  if (range) [lo, hi] = [Math.max(range[0], lo - (hi - lo) * 0.1), Math.min(range[1], hi + (hi - lo) * 0.1)];
  if (hi - lo < 1e-9) [lo, hi] = [lo - 1, hi + 1];
  const plotW = W - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  const step = points.length > 1 ? plotW / (points.length - 1) : 0;
  const xOf = (i: number): number => PAD.left + (points.length > 1 ? i * step : plotW / 2);
  const yOf = (v: number): number => PAD.top + plotH - ((v - lo) / (hi - lo)) * plotH;
  const r = (v: number): string => v.toFixed(1);

  let line = '';
  let band = '';
  let run: { x: number; ci: readonly [number, number] }[] = [];
  const closeRun = (): void => {
    if (run.length > 0) {
      const top = run.map((p, i) => `${i === 0 ? 'M' : 'L'}${r(p.x)},${r(yOf(p.ci[1]))}`).join(' ');
      const bottom = [...run].reverse().map((p) => `L${r(p.x)},${r(yOf(p.ci[0]))}`).join(' ');
      band += `${top} ${bottom} Z `;
    }
    run = [];
  };
  let pen = false;
  points.forEach((p, i) => {
    if (p.value === null) {
      pen = false;
      closeRun();
      return;
    }
    line += `${pen ? 'L' : 'M'}${r(xOf(i))},${r(yOf(p.value))} `;
    pen = true;
    if (p.ci) run.push({ x: xOf(i), ci: p.ci });
    else closeRun();
  });
  closeRun();

  const maxN = Math.max(1, ...points.map((p) => p.n));
  const barW = Math.max(2, Math.min(24, (points.length > 1 ? step : plotW) * 0.6));
  const bars = points.map((p, i) => {
    const height = (p.n / maxN) * plotH * 0.35;
    return { x: xOf(i) - barW / 2, y: PAD.top + plotH - height, width: barW, height };
  });
  const ticks = 4;
  const yTicks = Array.from({ length: ticks + 1 }, (_, k) => {
    const v = lo + ((hi - lo) * k) / ticks;
    return { y: yOf(v), label: `${fmt(v)}${unit}` };
  });
  const every = Math.max(1, Math.ceil(points.length / 8));
  const xLabels = points.map((p, i) => ({ x: xOf(i), label: p.label })).filter((_, i) => i % every === 0);
  const dots = points.flatMap((p, i) => (p.value === null ? [] : [{ x: xOf(i), y: yOf(p.value), title: `${p.label}: ${fmt(p.value)}${unit} (n = ${p.n})` }]));
  return { width: W, height: H, line: line.trim(), band: band.trim(), dots, bars, yTicks, xLabels, baseline: PAD.top + plotH };
}
