import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import request from 'supertest';
import { computeKpisFromRawRows } from '../../src/kpis';
import { parseKpiQuery } from '../../src/kpis/kpi-query';
import { PeriodCellCache } from '../../src/kpis/period-cells';
import { addDays, dayOf } from '../../src/kpis/report-calendar';
import { readPeriodVersions, readRollupState } from '../../src/kpis/rollup-store';
import { coverRange } from '../../src/kpis/rollup-periods';
import { postTrigger, startTestApp, type TestApp } from '../support/app';
import { startServer } from '../support/cli';
import { ENGINES } from '../support/database';
import { sendSurvey } from '../support/surveys';
import { buildTrigger } from '../support/triggers';

const ZONE = 'Europe/Madrid';
const DAY = 86_400_000;
const iso = (ms: number): string => new Date(ms).toISOString();
/** Times of an interaction that closed at `closed`: opened half an hour before, first answered 100 s later. */
const timesOf = (closed: number) => ({ opened_at: iso(closed - 1_800_000), first_response_at: iso(closed - 1_700_000), closed_at: iso(closed) });

for (const engine of ENGINES) {
  describe(`KPI periods kept in memory (${engine})`, () => {
    let t: TestApp;
    let today: string;
    before(async () => {
      t = await startTestApp(engine, { SURVEY_DELAY_SECONDS: '0', SURVEY_THROTTLE_DAYS: '0', SURVEY_MAX_AGE_DAYS: '60', KPI_MIN_RESPONSES: '1', REPORT_TIMEZONE: ZONE });
      today = dayOf(t.clock(), ZONE);
      for (let i = 0; i < 12; i++) {
        const closed = t.clock() - (i * 3 + 1) * DAY;
        const body = buildTrigger({ channel: i % 2 ? 'chat' : 'email', agent: { external_id: `p-${i % 3}`, team: `Team ${i % 2}` }, ...timesOf(closed) }, t.clock());
        assert.equal((await postTrigger(t, body)).status, 201);
      }
      const worker = t.worker();
      while ((await worker.runOnce()) > 0);
    });
    after(async () => t.close());

    const kpis = async (query: Record<string, string>) => {
      const res = await request(t.app).get('/api/v1/kpis').query(query).set('Authorization', `Bearer ${t.apiKey}`);
      assert.equal(res.status, 200, JSON.stringify(res.body));
      return res.body as { total: { interactions: number; surveys_sent: number; csat: { n: number; mean: number | null } }; groups: unknown[] };
    };
    const raw = async (query: Record<string, string>) => {
      const parsed = parseKpiQuery(query, today);
      assert.ok(parsed.ok);
      return JSON.parse(JSON.stringify(await computeKpisFromRawRows(t.db, ZONE, 1, parsed.value))) as unknown;
    };
    const range = () => ({ from: addDays(today, -40), to: today });

    it('answers a filtered query first, then the unfiltered one with every cell', async () => {
      const filtered = { ...range(), group_by: 'agent', agent: 'p-1' };
      assert.deepEqual(await kpis(filtered), await raw(filtered));
      const all = { ...range(), group_by: 'agent,channel' };
      assert.deepEqual(await kpis(all), await raw(all));
    });

    it('moves at once with an interaction, a sent survey and a changed answer recorded by this process', async () => {
      const query = { ...range(), group_by: 'week,channel' };
      const before = await kpis(query);
      const survey = await sendSurvey(t, { channel: 'chat', agent: { external_id: 'p-0' } });
      const sent = await kpis(query);
      assert.equal(sent.total.interactions, before.total.interactions + 1);
      assert.equal(sent.total.surveys_sent, before.total.surveys_sent + 1);
      assert.equal((await request(t.app).post(`/s/${survey.token}`).type('form').send('csat=2')).status, 303);
      assert.equal((await kpis(query)).total.csat.n, sent.total.csat.n + 1);
      assert.equal((await request(t.app).post(`/s/${survey.token}`).type('form').send('csat=5')).status, 303);
      const changed = await kpis(query);
      assert.deepEqual(changed, await raw(query));
      assert.equal(changed.total.csat.n, sent.total.csat.n + 1);
    });

    it('adds the periods being written to on top of the settled ones, and settles them again once quiet', async () => {
      const queries = [
        { ...range(), group_by: 'agent,channel' },
        { ...range(), group_by: 'channel' },
        { ...range(), group_by: 'week,team' },
        { ...range(), group_by: 'agent', channel: 'chat' },
        range(),
      ];
      const allAsRaw = async (step: string): Promise<void> => {
        for (const query of queries) assert.deepEqual(await kpis(query), await raw(query), `${step}: ${JSON.stringify(query)}`);
      };
      const write = async (agent: string, daysAgo: number): Promise<void> => {
        const body = buildTrigger({ channel: 'chat', agent: { external_id: agent }, ...timesOf(t.clock() - daysAgo * DAY - 3_600_000) }, t.clock());
        assert.equal((await postTrigger(t, body)).status, 201);
      };
      const settle = async (): Promise<void> => {
        // Queries that find nothing changed settle the written periods again, merged with the rest.
        for (let i = 0; i < 33; i++) await kpis(queries[0] as Record<string, string>);
      };
      await settle();
      await allAsRaw('every period settled');
      await write('p-1', 4);
      await allAsRaw('a settled day written to');
      await write('p-live', 4);
      await write('p-2', 19);
      await allAsRaw('two days written to, one agent only in them');
      await settle();
      await allAsRaw('the days settled again');
      // The same periods settled once more, now with other contents.
      await write('p-0', 19);
      await allAsRaw('written to once more');
      await settle();
      await allAsRaw('settled once more');
    });

    it('shows at the next query what another server process wrote to the same database', async () => {
      const query = { ...range(), group_by: 'agent' };
      const before = await kpis(query);
      const other = await startServer({ ...t.database.env, REPORT_TIMEZONE: ZONE, SURVEY_MAX_AGE_DAYS: '60' }, ['--no-worker']);
      try {
        const body = buildTrigger({ channel: 'phone', agent: { external_id: 'p-new' }, ...timesOf(t.clock() - 20 * DAY) }, t.clock());
        const res = await fetch(`${other.baseUrl}/api/v1/interactions`, { method: 'POST', headers: { authorization: `Bearer ${t.apiKey}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
        assert.equal(res.status, 201);
      } finally {
        other.child.kill('SIGTERM');
        await other.exited;
      }
      const afterWrite = await kpis(query);
      assert.equal(afterWrite.total.interactions, before.total.interactions + 1);
      assert.deepEqual(afterWrite, await raw(query));
    });

    it('keeps no more than its byte budget, dropping the least recently used periods first', async () => {
      const state = await readRollupState(t.db);
      assert.ok(state !== null);
      const periods = await readPeriodVersions(t.db, coverRange(addDays(today, -40), today, ['d']));
      assert.ok(periods.length >= 10, `${periods.length} days with data`);
      const noFilter = { agentId: null, teamId: null, channel: null };
      const unbounded = new PeriodCellCache();
      await unbounded.cellsOf(t.db, state.epoch, periods, noFilter);
      const budget = Math.floor(unbounded.size / 2);
      const cache = new PeriodCellCache(budget);
      const cells = await cache.cellsOf(t.db, state.epoch, periods, noFilter);
      assert.deepEqual(cells.map((c) => c.period), periods.map((p) => p.period));
      assert.ok(cache.size > 0 && cache.size <= budget, `${cache.size} ≤ ${budget}`);
      // The oldest periods were dropped: reading the newest again reads nothing from the database.
      const newest = periods.slice(-2);
      const again = await cache.cellsOf(t.db, state.epoch, newest, noFilter);
      assert.equal(again[0], cells[cells.length - 2]);
      // A period whose version moved is read again.
      const moved = await cache.cellsOf(t.db, state.epoch, newest.map((p) => ({ ...p, version: p.version + 1 })), noFilter);
      assert.notEqual(moved[0], again[0]);
      assert.deepEqual(moved[0]?.numbers, again[0]?.numbers);
    });

    it('counts a period as settled only at the version it holds, and never one a filtered read kept nothing of', async () => {
      const state = await readRollupState(t.db);
      assert.ok(state !== null);
      const periods = await readPeriodVersions(t.db, coverRange(addDays(today, -40), today, ['d']));
      const first = periods[0];
      assert.ok(first !== undefined);
      const cache = new PeriodCellCache();
      await cache.cellsOf(t.db, state.epoch, [first], { agentId: null, teamId: null, channel: 'chat' });
      assert.equal(cache.isSettled(state.epoch, first), false, 'a filtered read keeps nothing');
      await cache.cellsOf(t.db, state.epoch, [first], { agentId: null, teamId: null, channel: null });
      assert.equal(cache.isSettled(state.epoch, first), true);
      assert.equal(cache.isSettled(state.epoch, { ...first, version: first.version + 1 }), false, 'another version');
      assert.equal(cache.isSettled('another epoch', first), false, 'another epoch');
      // Moved while cached: live until 32 queries found it unchanged.
      const moved = { ...first, version: first.version + 1 };
      await cache.cellsOf(t.db, state.epoch, [moved], { agentId: null, teamId: null, channel: null });
      assert.equal(cache.isSettled(state.epoch, moved), false);
      for (let i = 0; i < 32; i++) await cache.cellsOf(t.db, state.epoch, [moved], { agentId: null, teamId: null, channel: null });
      assert.equal(cache.isSettled(state.epoch, moved), true);
    });
  });
}
