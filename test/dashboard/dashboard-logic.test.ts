import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { csvCell, csvLine } from '../../src/dashboard/csv';
import { formatDuration } from '../../src/dashboard/kpi-view';
import { periodChange } from '../../src/dashboard/period-change';
import { periodPresets, previousPeriod } from '../../src/dashboard/report-filters';
import { layoutTrend } from '../../src/dashboard/trend-chart';

describe('CSV cells', () => {
  it('quotes what RFC 4180 requires and neutralises formula starts', () => {
    assert.equal(csvCell('plain'), 'plain');
    assert.equal(csvCell('a,b'), '"a,b"');
    assert.equal(csvCell('say "hi"'), '"say ""hi"""');
    assert.equal(csvCell('two\nlines'), '"two\nlines"');
    for (const start of ['=', '+', '-', '@', '\t', '\r']) assert.equal(csvCell(`${start}1+1`).replace(/^"/, '').startsWith(`'${start}`), true, JSON.stringify(start));
    assert.equal(csvCell('=1,2'), `"'=1,2"`);
    assert.equal(csvCell(-3), '-3', 'numbers are data, not formulas');
    assert.equal(csvCell(null), '');
    assert.equal(csvLine(['a', 1, null, true]), 'a,1,,true\r\n');
  });
});

describe('period change', () => {
  it('gives the difference with a 95% interval from both standard errors', () => {
    // NPS 40 (se 8) now, 20 (se 6) before: 20 ± 1.96·√(64 + 36) = 20 ± 19.6.
    const c = periodChange(40, 20, 8, 6);
    assert.equal(c.delta, 20);
    assert.ok(c.ci && Math.abs(c.ci[0] - 0.4) < 1e-9 && Math.abs(c.ci[1] - 39.6) < 1e-9);
    assert.equal(c.direction, 'up');
    assert.equal(periodChange(40, 30, 8, 6).direction, 'flat', '10 ± 19.6 spans 0');
    assert.equal(periodChange(10, 40, 8, 6).direction, 'down');
    assert.deepEqual(periodChange(null, 40, null, 6), { delta: null, ci: null, direction: null });
    assert.deepEqual(periodChange(100, 90, null, null), { delta: 10, ci: null, direction: null });
  });
});

describe('durations', () => {
  it('reads like a person would say them', () => {
    assert.equal(formatDuration(45), '45s');
    assert.equal(formatDuration(165), '2m 45s');
    assert.equal(formatDuration(4500), '1h 15m');
    assert.equal(formatDuration(190_000), '2d 5h');
  });

  it('rounds the smaller unit to the nearest, carrying into the larger', () => {
    assert.equal(formatDuration(24_594.7), '6h 50m'); // 6h 49m 54.7s
    assert.equal(formatDuration(164_448), '1d 22h'); // 1d 21h 40m 48s
    assert.equal(formatDuration(59.6), '1m 00s');
    assert.equal(formatDuration(3_599.6), '1h 00m');
    assert.equal(formatDuration(86_399), '1d 0h');
  });
});

describe('trend chart layout', () => {
  it('breaks the line at periods without a value and keeps points inside the plot', () => {
    const chart = layoutTrend(
      [
        { label: 'a', value: 10, ci: [0, 20], n: 5 },
        { label: 'b', value: null, ci: null, n: 0 },
        { label: 'c', value: 30, ci: [20, 40], n: 10 },
      ],
      [-100, 100],
    );
    assert.equal((chart.line.match(/M/g) ?? []).length, 2, 'two runs');
    assert.equal(chart.dots.length, 2);
    for (const d of chart.dots) assert.ok(d.y >= 0 && d.y <= chart.height && d.x >= 0 && d.x <= chart.width);
    assert.equal(chart.bars[2]?.height && chart.bars[0] ? chart.bars[2].height > chart.bars[0].height : false, true, 'bars follow n');
    assert.equal(layoutTrend([], null).line, '');
  });
});

describe('report periods', () => {
  const f = (from: string, to: string) => ({ from, to, agent: null, team: null, channel: null });
  it('compares a calendar month, or this month so far, with the whole month before', () => {
    assert.deepEqual(previousPeriod(f('2026-11-01', '2026-11-23')), f('2026-10-01', '2026-10-31'));
    assert.deepEqual(previousPeriod(f('2026-03-01', '2026-03-31')), f('2026-02-01', '2026-02-28'));
    assert.deepEqual(previousPeriod(f('2026-01-01', '2026-01-31')), f('2025-12-01', '2025-12-31'));
  });
  it('compares any other period with the same number of days just before', () => {
    assert.deepEqual(previousPeriod(f('2026-10-25', '2026-11-23')), f('2026-09-25', '2026-10-24'));
    assert.deepEqual(previousPeriod(f('2026-11-02', '2026-11-02')), f('2026-11-01', '2026-11-01'));
  });
  it('offers rolling windows and calendar months ending today', () => {
    const presets = Object.fromEntries(periodPresets('2026-03-05').map((p) => [p.label, [p.from, p.to]]));
    assert.deepEqual(presets['Last 7 days'], ['2026-02-27', '2026-03-05']);
    assert.deepEqual(presets['This month'], ['2026-03-01', '2026-03-05']);
    assert.deepEqual(presets['Last month'], ['2026-02-01', '2026-02-28']);
    assert.deepEqual(presets['This year'], ['2026-01-01', '2026-03-05']);
  });
});
