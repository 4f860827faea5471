import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { addDays, dayLookup, dayOf, isReportDate, monthOf, rangeOf, startOfDay, weekOf } from '../../src/kpis/report-calendar';

describe('report calendar', () => {
  it('starts a UTC day at midnight UTC', () => {
    assert.equal(startOfDay('2026-11-20', 'UTC'), Date.parse('2026-11-20T00:00:00Z'));
  });

  it('starts a local day at local midnight, in winter and in summer', () => {
    assert.equal(startOfDay('2026-01-15', 'Europe/Madrid'), Date.parse('2026-01-14T23:00:00Z'));
    assert.equal(startOfDay('2026-07-15', 'Europe/Madrid'), Date.parse('2026-07-14T22:00:00Z'));
    assert.equal(startOfDay('2026-11-20', 'Asia/Jakarta'), Date.parse('2026-11-19T17:00:00Z'));
    assert.equal(startOfDay('2026-11-20', 'America/New_York'), Date.parse('2026-11-20T05:00:00Z'));
  });

  it('makes DST days 23 and 25 hours long', () => {
    // Europe/Madrid: clocks go forward on 2026-03-29 and back on 2026-10-25.
    const spring = rangeOf('2026-03-29', '2026-03-29', 'Europe/Madrid');
    assert.equal((spring.end - spring.start) / 3_600_000, 23);
    const autumn = rangeOf('2026-10-25', '2026-10-25', 'Europe/Madrid');
    assert.equal((autumn.end - autumn.start) / 3_600_000, 25);
  });

  it('handles a zone whose DST change skips midnight', () => {
    // America/Santiago moves clocks from 00:00 to 01:00 on 2026-09-06.
    const start = startOfDay('2026-09-06', 'America/Santiago');
    assert.equal(dayOf(start, 'America/Santiago'), '2026-09-06');
    assert.equal(dayOf(start - 1, 'America/Santiago'), '2026-09-05');
  });

  it('puts an instant on its local date', () => {
    assert.equal(dayOf(Date.parse('2026-11-20T23:30:00Z'), 'UTC'), '2026-11-20');
    assert.equal(dayOf(Date.parse('2026-11-20T23:30:00Z'), 'Europe/Madrid'), '2026-11-21');
    assert.equal(dayOf(Date.parse('2026-11-20T03:00:00Z'), 'America/Los_Angeles'), '2026-11-19');
  });

  it('looks local dates up as dayOf gives them, also where an offset is not a multiple of 15 minutes', () => {
    for (const zone of ['UTC', 'Europe/Madrid', 'Asia/Kathmandu', 'America/Santiago', 'Africa/Monrovia']) {
      const lookup = dayLookup(zone, 50);
      // Every 7 minutes 30 seconds across DST changes (and, for Monrovia, its -0:44:30 of 1971).
      for (const from of ['1971-05-30T00:00:00Z', '2026-03-28T00:00:00Z', '2026-09-05T00:00:00Z', '2026-10-24T00:00:00Z']) {
        for (let ms = Date.parse(from); ms < Date.parse(from) + 3 * 86_400_000; ms += 450_000) assert.equal(lookup(ms), dayOf(ms, zone), `${zone} ${new Date(ms).toISOString()}`);
      }
    }
    // Monrovia's day began at 00:44:30 UTC then: the quarter hour from 00:30 holds two dates.
    const monrovia = dayLookup('Africa/Monrovia');
    assert.equal(monrovia(Date.parse('1971-06-01T00:44:29Z')), '1971-05-31');
    assert.equal(monrovia(Date.parse('1971-06-01T00:44:30Z')), '1971-06-01');
  });

  it('finds the Monday of the ISO week and the month', () => {
    assert.equal(weekOf('2026-11-23'), '2026-11-23'); // a Monday
    assert.equal(weekOf('2026-11-29'), '2026-11-23'); // Sunday ends the week
    assert.equal(weekOf('2026-01-01'), '2025-12-29'); // a week spanning the new year
    assert.equal(monthOf('2026-11-29'), '2026-11');
    assert.equal(addDays('2026-02-28', 1), '2026-03-01');
  });

  it('accepts only real dates written YYYY-MM-DD', () => {
    assert.ok(isReportDate('2026-02-28'));
    for (const bad of ['2026-02-30', '2026-13-01', '26-11-20', '2026-11-20T00:00:00Z', '20261120', '']) assert.equal(isReportDate(bad), false, bad);
  });
});
