import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import request from 'supertest';
import { computeKpisFromRawRows } from '../../src/kpis';
import { parseKpiQuery } from '../../src/kpis/kpi-query';
import { addDays, dayOf } from '../../src/kpis/report-calendar';
import { postTrigger, startTestApp, type TestApp } from '../support/app';
import { ENGINES } from '../support/database';
import { runCli } from '../support/cli';
import { buildTrigger } from '../support/triggers';
import { randomHistory, rollupSnapshot } from './rollup-support';

const ZONE = 'America/New_York';

for (const engine of ENGINES) {
  describe(`KPI rollups (${engine})`, () => {
    let t: TestApp;
    let today: string;
    const cliEnv = (zone: string): Record<string, string> => ({ ...t.database.env, REPORT_TIMEZONE: zone });
    before(async () => {
      t = await startTestApp(engine, { SURVEY_DELAY_SECONDS: '0', SURVEY_THROTTLE_DAYS: '0', SURVEY_MAX_AGE_DAYS: '30', KPI_MIN_RESPONSES: '2', REPORT_TIMEZONE: ZONE });
      today = dayOf(t.clock(), ZONE);
      const history = await randomHistory(t, 20261124, 160);
      assert.ok(history.answered > 20 && history.changed > 5, `a varied history: ${JSON.stringify(history)}`);
    });
    after(async () => t.close());

    /** GET /api/v1/kpis next to the raw-row computation of the same query. */
    const bothWays = async (query: Record<string, string>) => {
      const api = await request(t.app).get('/api/v1/kpis').query(query).set('Authorization', `Bearer ${t.apiKey}`);
      assert.equal(api.status, 200, JSON.stringify(api.body));
      const parsed = parseKpiQuery(query, today);
      assert.ok(parsed.ok);
      const raw = await computeKpisFromRawRows(t.db, ZONE, 2, parsed.value);
      return { api: api.body as unknown, raw: JSON.parse(JSON.stringify(raw)) as unknown };
    };

    const queries = (): Record<string, string>[] => [
      { from: addDays(today, -45), to: today },
      { from: addDays(today, -45), to: today, group_by: 'agent,channel' },
      { from: addDays(today, -45), to: today, group_by: 'team' },
      { from: addDays(today, -45), to: today, group_by: 'day' },
      { from: addDays(today, -45), to: today, group_by: 'week,channel' },
      { from: addDays(today, -45), to: today, group_by: 'month,agent' },
      // Weeks that straddle a month boundary lie in two (week, month) groups.
      { from: addDays(today, -45), to: today, group_by: 'week,month' },
      { from: addDays(today, -45), to: today, group_by: 'month,week' },
      { from: addDays(today, -17), to: addDays(today, -3), group_by: 'channel,team' },
      { from: addDays(today, -45), to: today, group_by: 'week', team: 'Tier 1' },
      { from: addDays(today, -30), to: today, group_by: 'channel', agent: 'r-4' },
      { from: addDays(today, -30), to: today, group_by: 'agent', channel: 'email' },
      { from: addDays(today, -30), to: today, agent: 'nobody' },
    ];

    it('answers every query from the rollups exactly as from the raw rows', async () => {
      for (const query of queries()) {
        const { api, raw } = await bothWays(query);
        assert.deepEqual(api, raw, JSON.stringify(query));
      }
    });

    it('keeps rollups equal to what `rapport rollups rebuild` computes, after triggers, sends, answers and changed answers', async () => {
      const kept = await rollupSnapshot(t);
      assert.ok(Object.keys(kept).length > 100);
      const cli = await runCli(['rollups', 'rebuild'], cliEnv(ZONE));
      assert.equal(cli.code, 0, cli.stderr);
      assert.match(cli.stdout, /^Rebuilt KPI rollups in America\/New_York from 160 interactions: \d+ rows in [\d.]+ s\.$/m);
      assert.deepEqual(await rollupSnapshot(t), kept);
    });

    it('after REPORT_TIMEZONE changes, answers from raw rows, keeps the rollups whole in their zone, and warns until rebuilt', async () => {
      const query = { from: addDays(today, -45), to: today, group_by: 'day,channel' };
      const before = await bothWays(query);
      // The rollups are cut in another zone now (as if they had been rebuilt under another REPORT_TIMEZONE).
      assert.equal((await runCli(['rollups', 'rebuild'], cliEnv('Asia/Tokyo'))).code, 0);
      const during = await bothWays(query);
      assert.deepEqual(during.api, before.raw);
      // Writers keep the Tokyo rollups consistent meanwhile.
      assert.equal((await postTrigger(t, buildTrigger({ channel: 'chat', agent: { external_id: 'r-9', team: 'Tier 3' } }, t.clock()))).status, 201);
      const kept = await rollupSnapshot(t);
      const migrate = await runCli(['migrate'], cliEnv(ZONE));
      assert.equal(migrate.code, 0);
      assert.match(migrate.stderr, /built for Asia\/Tokyo, but REPORT_TIMEZONE is America\/New_York.*npx rapport rollups rebuild/);
      assert.equal((await runCli(['rollups', 'rebuild'], cliEnv('Asia/Tokyo'))).code, 0);
      assert.deepEqual(await rollupSnapshot(t), kept);
      // The operator rebuilds in the configured zone: rollups again, equal to the raw rows.
      assert.equal((await runCli(['rollups', 'rebuild'], cliEnv(ZONE))).code, 0);
      const afterRebuild = await bothWays(query);
      assert.deepEqual(afterRebuild.api, afterRebuild.raw);
      assert.equal((await runCli(['migrate'], cliEnv(ZONE))).stderr, '');
    });
  });
}

for (const engine of ENGINES) {
  describe(`KPI rollups started by concurrent first triggers (${engine})`, () => {
    // The first writers of an empty database start the rollups; on PostgreSQL several run at once, and
    // one that looks after another has committed must still count its interaction.
    for (const round of [1, 2, 3]) {
      it(`counts every one of 24 concurrent first triggers (round ${round})`, async () => {
        const t = await startTestApp(engine, { REPORT_TIMEZONE: ZONE });
        try {
          const bodies = Array.from({ length: 24 }, (_, i) => buildTrigger({ channel: 'chat', agent: { external_id: `first-${i % 3}` } }, t.clock()));
          const answers = await Promise.all(bodies.map((b) => postTrigger(t, b)));
          assert.deepEqual(new Set(answers.map((a) => a.status)), new Set([201]));
          const cells = Object.entries(await rollupSnapshot(t)).filter(([key]) => key.startsWith('m|'));
          assert.equal(cells.reduce((sum, [, cell]) => sum + Number(cell.interactions), 0), 24);
        } finally {
          await t.close();
        }
      });
    }
  });
}
