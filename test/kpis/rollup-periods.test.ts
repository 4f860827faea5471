import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { addDays } from '../../src/kpis/report-calendar';
import { coverRange, levelsFor, type PeriodRun } from '../../src/kpis/rollup-periods';
import type { RollupLevel } from '../../src/kpis/rollup-cells';

/** Every day from..to in the periods of `runs`, each day once, the month run expanded from its months. */
function daysCovered(runs: readonly PeriodRun[]): string[] {
  const days: string[] = [];
  for (const run of runs) {
    const first = run.level === 'm' ? `${run.first}-01` : run.first;
    const lastPeriodStart = run.level === 'm' ? `${run.last}-01` : run.last;
    const end = run.level === 'd' ? run.last : run.level === 'w' ? addDays(lastPeriodStart, 6) : addDays(`${addDays(lastPeriodStart, 31).slice(0, 7)}-01`, -1);
    for (let day = first; day <= end; day = addDays(day, 1)) days.push(day);
  }
  return days.sort();
}

describe('covering a date range with rollup periods', () => {
  it('uses whole months, then whole ISO weeks inside the partial months, then single days', () => {
    // 2026-08-05 is a Wednesday; August's last full week starts Monday the 24th; 2026-11-02 is a Monday.
    assert.deepEqual(coverRange('2026-08-05', '2026-11-02', ['m', 'w', 'd']), [
      { level: 'd', first: '2026-08-05', last: '2026-08-09' },
      { level: 'w', first: '2026-08-10', last: '2026-08-24' },
      { level: 'd', first: '2026-08-31', last: '2026-08-31' },
      { level: 'd', first: '2026-11-01', last: '2026-11-02' },
      { level: 'm', first: '2026-09', last: '2026-10' },
    ]);
  });

  it('keeps weeks inside one month when the range has no whole month, so a month grouping stays exact', () => {
    // Week 2026-10-26..11-01 straddles the month boundary: its days are read one by one.
    assert.deepEqual(coverRange('2026-10-20', '2026-11-10', ['m', 'w', 'd']), [
      { level: 'd', first: '2026-10-20', last: '2026-10-31' },
      { level: 'd', first: '2026-11-01', last: '2026-11-01' },
      { level: 'w', first: '2026-11-02', last: '2026-11-02' },
      { level: 'd', first: '2026-11-09', last: '2026-11-10' },
    ]);
  });

  it('lets weeks cross months when grouping by week, and uses days only when grouping by day', () => {
    assert.deepEqual(coverRange('2025-11-25', '2026-11-24', levelsFor(['week'])), [
      { level: 'd', first: '2025-11-25', last: '2025-11-30' },
      { level: 'w', first: '2025-12-01', last: '2026-11-16' },
      { level: 'd', first: '2026-11-23', last: '2026-11-24' },
    ]);
    assert.deepEqual(coverRange('2026-01-01', '2026-03-31', levelsFor(['agent', 'day'])), [{ level: 'd', first: '2026-01-01', last: '2026-03-31' }]);
  });

  it('covers every day of any range exactly once, each week and month run inside the range', () => {
    let seed = 7;
    const random = (n: number): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) % n);
    const levelSets: readonly (readonly RollupLevel[])[] = [['m', 'w', 'd'], ['w', 'd'], ['d']];
    for (let i = 0; i < 300; i++) {
      const from = addDays('2024-01-01', random(800));
      const to = addDays(from, random(120));
      const levels = levelSets[i % 3] as readonly RollupLevel[];
      const runs = coverRange(from, to, levels);
      const expected: string[] = [];
      for (let day = from; day <= to; day = addDays(day, 1)) expected.push(day);
      assert.deepEqual(daysCovered(runs), expected, `${from}..${to} ${levels.join('')}`);
      assert.ok(runs.every((r) => levels.includes(r.level)));
      // With months allowed, no week run may straddle two months (a month grouping stays exact).
      if (levels.includes('m')) {
        for (const r of runs.filter((run) => run.level === 'w')) {
          for (let monday = r.first; monday <= r.last; monday = addDays(monday, 7)) assert.equal(monday.slice(0, 7), addDays(monday, 6).slice(0, 7), `${from}..${to}`);
        }
      }
    }
  });

  it('covers thousands of years with one run of months between the partial ends', () => {
    assert.deepEqual(coverRange('1970-01-15', '9998-12-20', ['m', 'w', 'd']), [
      // 1970-01-19 and 9998-12-07 are Mondays; 9998-12-20 is a Sunday.
      { level: 'd', first: '1970-01-15', last: '1970-01-18' },
      { level: 'w', first: '1970-01-19', last: '1970-01-19' },
      { level: 'd', first: '1970-01-26', last: '1970-01-31' },
      { level: 'd', first: '9998-12-01', last: '9998-12-06' },
      { level: 'w', first: '9998-12-07', last: '9998-12-14' },
      { level: 'm', first: '1970-02', last: '9998-11' },
    ]);
  });

  it('covers a single day with that day', () => {
    assert.deepEqual(coverRange('2026-11-24', '2026-11-24', ['m', 'w', 'd']), [{ level: 'd', first: '2026-11-24', last: '2026-11-24' }]);
  });
});
