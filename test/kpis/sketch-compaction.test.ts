import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import request from 'supertest';
import { computeKpisFromRawRows } from '../../src/kpis';
import { parseKpiQuery } from '../../src/kpis/kpi-query';
import { addDays, dayOf } from '../../src/kpis/report-calendar';
import { SketchCompaction } from '../../src/kpis/sketch-compaction';
import { postTrigger, startTestApp, type TestApp } from '../support/app';
import { runCli } from '../support/cli';
import { ENGINES } from '../support/database';
import { buildTrigger } from '../support/triggers';
import { rollupSnapshot } from './rollup-support';

describe('when a rollup cell is compacted', () => {
  it('waits for 2 KB of appends, then for as many as it was compacted to', () => {
    const compaction = new SketchCompaction(2048);
    assert.deepEqual(compaction.append([{ key: 'a', bytes: 2040 }, { key: 'b', bytes: 2048 }], 8), ['b']);
    assert.deepEqual(compaction.append([{ key: 'a', bytes: 8 }], 8), ['a']);
    compaction.compacted('b', 3000);
    assert.deepEqual(compaction.append([{ key: 'b', bytes: 2990 }], 8), []);
    assert.deepEqual(compaction.append([{ key: 'b', bytes: 10 }], 8), ['b']);
  });

  it('takes those that grew most first, at most as many as allowed', () => {
    const compaction = new SketchCompaction(2048);
    const cells = [3000, 9000, 2500, 5000].map((bytes, i) => ({ key: `c${i}`, bytes }));
    assert.deepEqual(compaction.append(cells, 2), ['c1', 'c3']);
  });

  it('forgets the least recently written cells past its limit', () => {
    const compaction = new SketchCompaction(100, 2);
    compaction.compacted('a', 1000);
    compaction.compacted('b', 1000);
    compaction.compacted('c', 1000);
    // 'a' is forgotten: due again after the minimum; 'c' still waits for 1,000 bytes.
    assert.deepEqual(compaction.append([{ key: 'a', bytes: 150 }, { key: 'c', bytes: 150 }], 8), ['a']);
  });
});

const ZONE = 'Europe/Madrid';
// 600 interactions of one agent and channel on one day, with 40 distinct first-response and resolution
// times: appended, each of the day's, week's and month's sketches would hold 600 pairs (4.8 KB).
const TRIGGERS = 600;
const DISTINCT = 40;
const TEAMLESS_AGENTS = ['first', 'second'];

for (const engine of ENGINES) {
  describe(`rollup sketches of a busy cell (${engine})`, () => {
    let t: TestApp;
    let today: string;
    before(async () => {
      t = await startTestApp(engine, { SURVEY_THROTTLE_DAYS: '0', KPI_MIN_RESPONSES: '1', REPORT_TIMEZONE: ZONE });
      today = dayOf(t.clock(), ZONE);
      const closed = t.clock() - 120_000;
      // Agents without a team first, on another channel, so the busy cell's agent and team ids differ.
      for (const agent of TEAMLESS_AGENTS) assert.equal((await postTrigger(t, buildTrigger({ channel: 'email', agent: { external_id: agent } }, t.clock()))).status, 201);
      for (let i = 0; i < TRIGGERS; i += 25) {
        const bodies = Array.from({ length: 25 }, (_, j) => {
          const k = (i + j) % DISTINCT;
          return buildTrigger(
            {
              agent: { external_id: 'busy', team: 'Tier 1' },
              opened_at: new Date(closed - 3_600_000 - k * 60_000).toISOString(),
              first_response_at: new Date(closed - 3_600_000 - k * 60_000 + (k + 1) * 7_000).toISOString(),
              closed_at: new Date(closed).toISOString(),
            },
            t.clock(),
          );
        });
        for (const res of await Promise.all(bodies.map((b) => postTrigger(t, b)))) assert.equal(res.status, 201);
      }
    });
    after(async () => t.close());

    it('stays near its canonical size: the writer compacts it as it grows', async () => {
      const rows = (await t.db('kpi_rollups').where({ channel: 'chat' }).select('level', 'first_response_times', 'resolution_times')) as { level: string; first_response_times: Buffer; resolution_times: Buffer }[];
      assert.equal(rows.length, 3);
      for (const row of rows) {
        // Canonical: 40 pairs (320 bytes). Without compaction: 600 pairs (4,800 bytes).
        assert.ok(row.first_response_times.length < 2048 + 25 * 8, `${row.level}: ${row.first_response_times.length} bytes`);
        assert.ok(row.resolution_times.length < 2048 + 25 * 8, `${row.level}: ${row.resolution_times.length} bytes`);
      }
    });

    it('loses nothing: the KPIs equal the raw rows and the rollups equal a rebuild', async () => {
      const query = { from: addDays(today, -1), to: today, group_by: 'agent,channel' };
      const api = await request(t.app).get('/api/v1/kpis').query(query).set('Authorization', `Bearer ${t.apiKey}`);
      assert.equal(api.status, 200);
      const parsed = parseKpiQuery(query, today);
      assert.ok(parsed.ok);
      assert.deepEqual(api.body, JSON.parse(JSON.stringify(await computeKpisFromRawRows(t.db, ZONE, 1, parsed.value))));
      assert.equal((api.body as { total: { first_response_seconds: { n: number } } }).total.first_response_seconds.n, TRIGGERS + TEAMLESS_AGENTS.length);
      const kept = await rollupSnapshot(t);
      const cli = await runCli(['rollups', 'rebuild'], { ...t.database.env, REPORT_TIMEZONE: ZONE });
      assert.equal(cli.code, 0, cli.stderr);
      assert.deepEqual(await rollupSnapshot(t), kept);
    });
  });
}
