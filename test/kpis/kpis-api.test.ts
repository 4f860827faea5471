import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import request from 'supertest';
import { ENGINES } from '../support/database';
import { postTrigger, startTestApp, type TestApp } from '../support/app';
import { sendSurvey, type SentSurvey } from '../support/surveys';
import { buildTrigger } from '../support/triggers';

const T = Date.parse('2026-11-20T12:00:00Z'); // a Friday
const iso = (ms: number) => new Date(ms).toISOString();
const close = (actual: number, expected: number) => assert.ok(Math.abs(actual - expected) <= expected * 0.01, `${actual} ≈ ${expected}`);

for (const engine of ENGINES) {
  describe(`GET /api/v1/kpis (${engine})`, () => {
    let t: TestApp;
    let i2: SentSurvey;
    before(async () => {
      t = await startTestApp(engine, { SURVEY_DELAY_SECONDS: '0', SURVEY_THROTTLE_DAYS: '0', KPI_MIN_RESPONSES: '2', REPORT_TIMEZONE: 'Europe/Madrid' });
      t.clock.set(T + 60_000);
      const a1 = { external_id: 'a-1', team: 'Tier 1' };
      const a2 = { external_id: 'a-2', team: 'Tier 2' };
      const times = (opened: number | null, first: number | null) => ({ closed_at: iso(T), opened_at: opened === null ? null : iso(T - opened * 1000), first_response_at: first === null ? null : iso(T - first * 1000) });
      // I1: first response after 60 s, resolved in 600 s, first contact; answers csat 5, nps 10, ces 6.
      const i1 = await sendSurvey(t, { ...times(600, 540), contacts: 1, agent: a1, channel: 'chat' });
      // I2: 120 s, 1200 s, two contacts; answers csat 2, nps 6, ces 3 and a comment.
      i2 = await sendSurvey(t, { ...times(1200, 1080), contacts: 2, agent: a1, channel: 'chat' });
      // I3: 30 s, 300 s, first contact; sent, never answered.
      await sendSurvey(t, { ...times(300, 270), contacts: 1, agent: a1, channel: 'chat' });
      // I4: no times, no contacts, no survey asked for.
      assert.equal((await postTrigger(t, buildTrigger({ ...times(null, null), contacts: null, agent: a2, channel: 'email', survey: { send: false }, customer: null }, t.clock()))).status, 201);
      // I5: 1800 s, 3600 s, first contact; answers nps 9 only.
      const i5 = await sendSurvey(t, { ...times(3600, 1800), contacts: 1, agent: a2, channel: 'email' });
      for (const [s, form] of [
        [i1, 'csat=5&nps=10&ces=6'],
        [i2, 'csat=2&nps=6&ces=3&comment=Took+two+calls'],
        [i5, 'nps=9'],
      ] as const) {
        assert.equal((await request(t.app).post(`/s/${s.token}`).type('form').send(form)).status, 303);
      }
    });
    after(async () => t.close());

    const get = (query: string) => request(t.app).get(`/api/v1/kpis${query}`).set('Authorization', `Bearer ${t.apiKey}`);

    it('computes every KPI of the total as the contract defines it', async () => {
      const res = await get('?from=2026-11-20&to=2026-11-20');
      assert.equal(res.status, 200);
      assert.deepEqual([res.body.from, res.body.to, res.body.group_by, res.body.min_responses], ['2026-11-20', '2026-11-20', [], 2]);
      assert.deepEqual(res.body.groups, []);
      const total = res.body.total;
      assert.deepEqual(total.key, {});
      // 5 interactions; 4 surveys sent (I4 asked for none); 3 answered.
      assert.deepEqual([total.interactions, total.surveys_sent, total.responses, total.response_rate, total.insufficient], [5, 4, 3, 0.75, false]);
      // NPS 10, 6, 9: promoters 2, detractors 1 → 100·(2−1)/3.
      assert.deepEqual([total.nps.n, total.nps.promoters, total.nps.passives, total.nps.detractors], [3, 2, 0, 1]);
      close(total.nps.score, 100 / 3);
      assert.ok(total.nps.ci95[0] <= total.nps.score && total.nps.score <= total.nps.ci95[1]);
      // CSAT 5, 2: one satisfied of two → 50; mean 3.5.
      assert.deepEqual([total.csat.n, total.csat.satisfied, total.csat.score, total.csat.mean], [2, 1, 50, 3.5]);
      // CES 6, 3: mean 4.5; one easy of two → 50 %.
      assert.deepEqual([total.ces.n, total.ces.easy, total.ces.score, total.ces.pct_easy], [2, 1, 4.5, 50]);
      // FCR over the four interactions that carry contacts: three with 1.
      assert.deepEqual([total.fcr.n, total.fcr.first_contact, total.fcr.rate], [4, 3, 75]);
      // First response 30, 60, 120, 1800 s: median rank ⌈0.5·4⌉ = 2 → 60; p90 rank ⌈3.6⌉ = 4 → 1800.
      assert.equal(total.first_response_seconds.n, 4);
      close(total.first_response_seconds.median, 60);
      close(total.first_response_seconds.p90, 1800);
      // Resolution 300, 600, 1200, 3600 s (I4 has no opened_at).
      assert.equal(total.resolution_seconds.n, 4);
      close(total.resolution_seconds.median, 600);
      close(total.resolution_seconds.p90, 3600);
    });

    it('groups by agent and channel, marking groups below KPI_MIN_RESPONSES insufficient', async () => {
      const res = await get('?from=2026-11-20&to=2026-11-20&group_by=agent,channel');
      assert.deepEqual(res.body.group_by, ['agent', 'channel']);
      assert.deepEqual(
        res.body.groups.map((g: { key: unknown; interactions: number; responses: number; insufficient: boolean }) => [g.key, g.interactions, g.responses, g.insufficient]),
        [
          [{ agent: 'a-1', channel: 'chat' }, 3, 2, false],
          [{ agent: 'a-2', channel: 'email' }, 2, 1, true],
        ],
      );
      const [a1] = res.body.groups;
      assert.equal(a1.nps.score, 0); // 10 and 6: one promoter, one detractor
      close(a1.response_rate, 2 / 3);
    });

    it('groups by team, and by day, ISO week and month in REPORT_TIMEZONE', async () => {
      const teams = await get('?from=2026-11-20&to=2026-11-20&group_by=team');
      assert.deepEqual(teams.body.groups.map((g: { key: unknown }) => g.key), [{ team: 'Tier 1' }, { team: 'Tier 2' }]);
      const byWeek = await get('?from=2026-11-01&to=2026-11-30&group_by=week,month');
      assert.deepEqual(byWeek.body.groups.map((g: { key: unknown; interactions: number }) => [g.key, g.interactions]), [[{ week: '2026-11-16', month: '2026-11' }, 5]]);
      const byDay = await get('?from=2026-11-19&to=2026-11-21&group_by=day');
      assert.deepEqual(byDay.body.groups.map((g: { key: unknown }) => g.key), [{ day: '2026-11-20' }]);
    });

    it('filters by agent, team and channel; a filter matching nothing gives empty groups, not an error', async () => {
      const a2 = await get('?from=2026-11-20&to=2026-11-20&agent=a-2');
      assert.equal(a2.body.total.interactions, 2);
      assert.equal((await get('?from=2026-11-20&to=2026-11-20&team=Tier%201&channel=chat')).body.total.interactions, 3);
      const none = await get('?from=2026-11-20&to=2026-11-20&agent=ghost&group_by=agent');
      assert.equal(none.status, 200);
      assert.deepEqual(none.body.groups, []);
      assert.equal(none.body.total.interactions, 0);
      assert.equal(none.body.total.nps.score, null);
      assert.equal(none.body.total.response_rate, null);
      assert.equal(none.body.total.first_response_seconds.median, null);
    });

    it('moves the KPIs at once when an answer changes, counting it once', async () => {
      await request(t.app).post(`/s/${i2.token}`).type('form').send('nps=9');
      const total = (await get('?from=2026-11-20&to=2026-11-20')).body.total;
      assert.deepEqual([total.nps.n, total.nps.promoters, total.nps.detractors, total.nps.score, total.responses], [3, 3, 0, 100, 3]);
      await request(t.app).post(`/s/${i2.token}`).type('form').send('nps=6');
    });

    it('answers 422 naming an invalid from, to or group_by', async () => {
      for (const [query, path] of [
        ['?from=2026-11-31', 'from'],
        ['?to=tomorrow', 'to'],
        ['?to=9999-12-31', 'to'],
        ['?from=1969-12-31', 'from'],
        ['?group_by=year', 'group_by'],
        ['?group_by=agent,agent', 'group_by'],
        ['?group_by=agent,channel,day', 'group_by'],
        ['?group_by=agent&group_by=day', 'group_by'],
      ] as const) {
        const res = await get(query);
        assert.equal(res.status, 422, query);
        assert.deepEqual(JSON.parse(res.text).errors.map((e: { path: string }) => e.path), [path], query);
      }
    });

    it('answers 405 with Allow: GET, HEAD to other methods on the reporting endpoints, and problem+json under /api in any case', async () => {
      for (const path of ['/api/v1/kpis', '/api/v1/responses']) {
        const res = await request(t.app).post(path).set('Authorization', `Bearer ${t.apiKey}`);
        assert.equal(res.status, 405, path);
        assert.equal(res.headers.allow, 'GET, HEAD');
        assert.match(res.headers['content-type'] ?? '', /application\/problem\+json/);
        assert.equal(JSON.parse(res.text).code, 'method_not_allowed');
      }
      // Express routes paths regardless of case; its errors come as the API's, not as HTML pages.
      for (const path of ['/API/V1/KPIS', '/api']) {
        const res = await request(t.app).get(path).set('Accept', 'text/html');
        assert.match(res.headers['content-type'] ?? '', /application\/problem\+json/, path);
      }
    });
  });
}
