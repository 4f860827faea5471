import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { coverRange, levelsFor } from '../../src/kpis/rollup-periods';

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

  it('covers a single day with that day', () => {
    assert.deepEqual(coverRange('2026-11-24', '2026-11-24', ['m', 'w', 'd']), [{ level: 'd', first: '2026-11-24', last: '2026-11-24' }]);
  });
});
