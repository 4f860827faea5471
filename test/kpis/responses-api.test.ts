import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import request from 'supertest';
import { ENGINES } from '../support/database';
import { startTestApp, type TestApp } from '../support/app';
import { sendSurvey } from '../support/surveys';

const HOUR = 3_600_000;

for (const engine of ENGINES) {
  describe(`GET /api/v1/responses (${engine})`, () => {
    let t: TestApp;
    const base = Date.parse('2026-11-20T12:00:00Z');
    before(async () => {
      t = await startTestApp(engine, { SURVEY_DELAY_SECONDS: '0', SURVEY_THROTTLE_DAYS: '0', REPORT_TIMEZONE: 'Europe/Madrid' });
      // Five answered surveys, one unanswered, answered an hour apart in this order.
      const specs = [
        { agent: 'a-1', team: 'Tier 1', channel: 'chat', closed: base - 2 * HOUR, form: 'csat=5&nps=10&comment=Great' },
        { agent: 'a-1', team: 'Tier 1', channel: 'email', closed: base - 3 * HOUR, form: 'csat=2' },
        { agent: 'a-2', team: 'Tier 2', channel: 'chat', closed: base - 4 * HOUR, form: 'ces=6' },
        // 23:30 UTC on the 20th is already the 21st in Madrid.
        { agent: 'a-2', team: 'Tier 2', channel: 'phone', closed: Date.parse('2026-11-20T23:30:00Z'), form: 'nps=3&comment=Slow' },
        { agent: 'a-3', team: 'Tier 1', channel: 'chat', closed: Date.parse('2026-11-10T10:00:00Z'), form: 'csat=4' },
        { agent: 'a-3', team: 'Tier 1', channel: 'chat', closed: base - HOUR, form: '' },
      ];
      let answeredAt = Date.parse('2026-11-21T08:00:00Z');
      for (const s of specs) {
        t.clock.set(s.closed + 60_000);
        const survey = await sendSurvey(t, {
          closed_at: new Date(s.closed).toISOString(),
          opened_at: null,
          first_response_at: null,
          agent: { external_id: s.agent, team: s.team },
          channel: s.channel,
        });
        if (s.form) {
          t.clock.set(answeredAt);
          answeredAt += HOUR;
          await request(t.app).post(`/s/${survey.token}`).type('form').send(s.form);
        }
      }
      t.clock.set(Date.parse('2026-11-22T10:00:00Z'));
    });
    after(async () => t.close());

    const get = (query: string) => request(t.app).get(`/api/v1/responses${query}`).set('Authorization', `Bearer ${t.apiKey}`);

    it('lists answers newest first with their interaction, agent, team and channel', async () => {
      const res = await get('?from=2026-11-01&to=2026-11-30');
      assert.equal(res.status, 200);
      assert.equal(res.body.next_cursor, null);
      assert.deepEqual(
        res.body.items.map((i: { agent: string; channel: string }) => `${i.agent}/${i.channel}`),
        ['a-3/chat', 'a-2/phone', 'a-2/chat', 'a-1/email', 'a-1/chat'],
      );
      const first = res.body.items.at(-1);
      assert.deepEqual(
        { csat: first.csat, nps: first.nps, ces: first.ces, comment: first.comment, team: first.team, source: first.source },
        { csat: 5, nps: 10, ces: null, comment: 'Great', team: 'Tier 1', source: 'zendesk' },
      );
      assert.equal(first.closed_at, new Date(base - 2 * HOUR).toISOString());
      assert.equal(first.answered_at, '2026-11-21T08:00:00.000Z');
      assert.match(first.interaction_id, /^[0-9a-f-]{36}$/);
    });

    it('defaults to the last 30 days, today included', async () => {
      const res = await get('');
      assert.equal(res.status, 200);
      assert.equal(res.body.items.length, 5);
    });

    it('pages with a cursor until next_cursor is null, with no answer twice', async () => {
      const seen: string[] = [];
      let cursor: string | null = '';
      let pages = 0;
      while (cursor !== null) {
        const res = await get(`?from=2026-11-01&to=2026-11-30&limit=2${cursor ? `&cursor=${cursor}` : ''}`);
        assert.equal(res.status, 200);
        assert.ok(res.body.items.length <= 2);
        seen.push(...res.body.items.map((i: { interaction_id: string }) => i.interaction_id));
        cursor = res.body.next_cursor;
        pages += 1;
      }
      assert.equal(pages, 3);
      assert.equal(seen.length, 5);
      assert.equal(new Set(seen).size, 5);
    });

    it('filters by agent, team, channel and by the report dates in REPORT_TIMEZONE', async () => {
      const count = async (q: string) => (await get(`?from=2026-11-01&to=2026-11-30&${q}`)).body.items.length;
      assert.equal(await count('agent=a-1'), 2);
      assert.equal(await count('team=Tier%202'), 2);
      assert.equal(await count('channel=chat'), 3);
      assert.equal(await count('agent=a-1&channel=chat'), 1);
      assert.equal(await count('agent=nobody'), 0);
      const on20 = await get('?from=2026-11-20&to=2026-11-20');
      assert.deepEqual(on20.body.items.map((i: { channel: string }) => i.channel).sort(), ['chat', 'chat', 'email']);
      const on21 = await get('?from=2026-11-21&to=2026-11-21');
      assert.deepEqual(on21.body.items.map((i: { channel: string }) => i.channel), ['phone']);
    });

    it('answers 422 naming each bad parameter, and 401 without a key', async () => {
      const bad = async (query: string, ...paths: string[]) => {
        const res = await get(query);
        assert.equal(res.status, 422, query);
        assert.match(res.headers['content-type'] ?? '', /application\/problem\+json/);
        const reported = JSON.parse(res.text).errors.map((e: { path: string }) => e.path);
        assert.deepEqual(reported.sort(), [...paths].sort(), query);
      };
      await bad('?from=2026-02-30', 'from');
      await bad('?from=yesterday&to=2026-13-01', 'from', 'to');
      await bad('?from=2026-11-20&to=2026-11-01', 'from');
      await bad('?limit=0', 'limit');
      await bad('?limit=501', 'limit');
      await bad('?limit=ten', 'limit');
      await bad('?cursor=not-a-cursor', 'cursor');
      // Shaped like a cursor, but its id is no uuid: PostgreSQL would refuse to compare it.
      await bad(`?cursor=${Buffer.from(JSON.stringify([1, '-'.repeat(36)])).toString('base64url')}`, 'cursor');
      await bad('?to=9999-12-31', 'to');
      await bad('?from=2026-11-01&from=2026-11-02', 'from');
      await bad('?channel=Chat%20Room', 'channel');
      assert.equal((await request(t.app).get('/api/v1/responses')).status, 401);
    });
  });
}
