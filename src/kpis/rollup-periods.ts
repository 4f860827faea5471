/**
 * Covers an inclusive range of report dates with as few rollup periods as possible: whole months, then
 * whole ISO weeks inside what is left, then single days. Each run of consecutive periods of one level
 * becomes one `period between` condition. A time grouping limits the levels so that every period lies
 * inside one group: by day only days, by week weeks and days, by month months, weeks and days (a week
 * wholly inside a month's leftover lies inside that month), by week and month only days.
 */
import type { Dimension } from './kpi-query';
import { addDays, monthOf, weekOf } from './report-calendar';
import type { RollupLevel } from './rollup-cells';

/** Consecutive periods of one level, `first` to `last` inclusive (period keys as stored). */
export interface PeriodRun {
  readonly level: RollupLevel;
  readonly first: string;
  readonly last: string;
}

const firstOfNextMonth = (day: string): string => {
  const [y, m] = day.split('-').map(Number) as [number, number];
  return m === 12 ? `${y + 1}-01-01` : `${y}-${String(m + 1).padStart(2, '0')}-01`;
};

/** The levels a grouping allows. */
export function levelsFor(groupBy: readonly Dimension[]): readonly RollupLevel[] {
  // By week and month together, a week that straddles two months lies in two groups: days only.
  if (groupBy.includes('day') || (groupBy.includes('week') && groupBy.includes('month'))) return ['d'];
  if (groupBy.includes('week')) return ['w', 'd'];
  return ['m', 'w', 'd'];
}

/** The runs covering from..to (inclusive dates, from ≤ to) at the given levels. */
export function coverRange(from: string, to: string, levels: readonly RollupLevel[]): PeriodRun[] {
  const runs: PeriodRun[] = [];
  const push = (level: RollupLevel, first: string, last: string): void => {
    runs.push({ level, first, last });
  };
  const days = (a: string, b: string): void => {
    if (a <= b) push('d', a, b);
  };
  const weeks = (a: string, b: string): void => {
    if (!levels.includes('w')) return days(a, b);
    // The first Monday on or after a, and the last Sunday on or before b.
    const monday = weekOf(a) === a ? a : addDays(weekOf(a), 7);
    const sunday = addDays(weekOf(addDays(b, 1)), -1);
    if (monday > sunday) return days(a, b);
    days(a, addDays(monday, -1));
    push('w', monday, weekOf(sunday));
    days(addDays(sunday, 1), b);
  };
  if (!levels.includes('m')) {
    weeks(from, to);
    return runs;
  }
  // The partial first and last months are covered by weeks and days that stay inside them (a month
  // grouping needs each period in one month); the whole months between become one run. Computed from the
  // ends, not month by month: a range may span thousands of years.
  const fromMonthEnd = addDays(firstOfNextMonth(from), -1);
  const toMonthStart = `${to.slice(0, 7)}-01`;
  const wholeFrom = from.endsWith('-01') ? from : firstOfNextMonth(from);
  const wholeTo = to === addDays(firstOfNextMonth(to), -1) ? to : addDays(toMonthStart, -1);
  if (wholeFrom > wholeTo) {
    // No whole month: one partial month, or the ends of two adjacent ones.
    if (to <= fromMonthEnd) weeks(from, to);
    else {
      weeks(from, fromMonthEnd);
      weeks(toMonthStart, to);
    }
    return runs;
  }
  if (wholeFrom !== from) weeks(from, fromMonthEnd);
  if (wholeTo !== to) weeks(toMonthStart, to);
  push('m', monthOf(wholeFrom), monthOf(wholeTo));
  return runs;
}
