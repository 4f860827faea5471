import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import request from 'supertest';
import type { KpiGroup, KpiReport } from '../../src/kpis/compute-kpis';
import { formatNumber, METRIC_IDS, metricsOf } from '../../src/dashboard/kpi-view';
import { ENGINES } from '../support/database';
import { startTestApp, type TestApp } from '../support/app';
import { csrfOf, signedIn } from '../support/dashboard';
import { sendSurvey } from '../support/surveys';

const DAY = 86_400_000;

/** The API's value of each overview card, straight from the contract's fields. */
function apiCardValues(g: KpiGroup): Record<string, number | null> {
  return {
    nps: g.nps.score,
    csat: g.csat.score,
    ces: g.ces.score,
    fcr: g.fcr.rate,
    response_rate: g.response_rate === null ? null : 100 * g.response_rate,
    first_response: g.first_response_seconds.median,
    resolution: g.resolution_seconds.median,
  };
}

/** The `<data value>` of each `data-kpi` card on a page. */
function cardValues(html: string): Record<string, string> {
  return Object.fromEntries([...html.matchAll(/data-kpi="(\w+)">[\s\S]*?<data value="([^"]*)">/g)].map((m) => [m[1] ?? '', m[2] ?? '']));
}

/** Every `<data value>` of a page fragment, in document order. */
function dataValues(html: string): { value: string; text: string }[] {
  return [...html.matchAll(/<data value="([^"]*)">([^<]*)<\/data>/g)].map((m) => ({ value: m[1] ?? '', text: (m[2] ?? '').replace(/&#39;/g, "'") }));
}

function assertShows(html: string, group: KpiGroup, where: string): void {
  const shown = new Set(dataValues(html).map((d) => `${d.value}|${d.text}`));
  for (const id of METRIC_IDS) {
    const m = metricsOf(group)[id];
    assert.ok(shown.has(`${m.value ?? ''}|${formatNumber(m.value, id)}`), `${where}: ${id} = ${m.value} shown as ${formatNumber(m.value, id)}`);
  }
}

for (const engine of ENGINES) {
  describe(`dashboard pages (${engine})`, () => {
    let t: TestApp;
    let lead: Awaited<ReturnType<typeof signedIn>>;
    const api = (path: string) => request(t.app).get(path).set('Authorization', `Bearer ${t.apiKey}`).expect(200);

    before(async () => {
      t = await startTestApp(engine, { SURVEY_DELAY_SECONDS: '0', SURVEY_THROTTLE_DAYS: '0', KPI_MIN_RESPONSES: '3', PUBLIC_RATE_LIMIT_PER_MINUTE: '0' });
      const now = Date.now();
      const history: [string, string, string, number, number, number, string][] = [
        ['a-1', 'Ana Ruiz', 'chat', 5, 10, 1, 'Great, thanks'],
        ['a-1', 'Ana Ruiz', 'chat', 4, 9, 1, ''],
        ['a-1', 'Ana Ruiz', 'email', 2, 3, 2, '=HYPERLINK("http://evil.example","click") <script>alert(1)</script>'],
        ['a-1', 'Ana Ruiz', 'email', 5, 8, 1, 'Quick, "quoted", and\nmultiline'],
        ['a-2', 'Bo <Bold>', 'chat', 1, 0, 3, 'Nobody called me back'],
        ['a-2', 'Bo <Bold>', 'phone', 3, 6, 2, '+1 for trying'],
      ];
      for (const [i, [agent, name, channel, csat, nps, contacts, comment]] of history.entries()) {
        t.clock.set(now - (i + 1) * DAY);
        const s = await sendSurvey(t, { channel, contacts, agent: { external_id: agent, name, team: agent === 'a-1' ? 'Tier 1' : 'Tier 2' } });
        await request(t.app).post(`/s/${s.token}`).type('form').send({ csat: String(csat), nps: String(nps), ...(comment ? { comment } : {}) }).expect(303);
      }
      // Last period: one older answer for the overview's comparison.
      t.clock.set(now - 40 * DAY);
      const old = await sendSurvey(t, { agent: { external_id: 'a-1', name: 'Ana Ruiz', team: 'Tier 1' } });
      await request(t.app).post(`/s/${old.token}`).type('form').send({ csat: '1', nps: '2' }).expect(303);
      t.clock.set(now);
      lead = await signedIn(t, 'lead');
    });
    after(async () => t.close());

    it('shows on the overview exactly the KPIs of GET /api/v1/kpis, rounded, for the same filters', async () => {
      for (const query of ['', 'channel=chat', 'agent=a-1&from=' + new Date(Date.now() - 4 * DAY).toISOString().slice(0, 10)]) {
        const report = (await api(`/api/v1/kpis?${query}`)).body as KpiReport;
        const page = await lead.agent.get(`/?${query}`).expect(200);
        assertShows(page.text, report.total, `overview ?${query}`);
        const cards = cardValues(page.text);
        for (const [id, value] of Object.entries(apiCardValues(report.total))) {
          assert.equal(cards[id], value === null ? '' : String(value), `overview ?${query}: the ${id} card holds the API's value`);
        }
        assert.notEqual(cards.nps, '', 'the data has NPS answers');
      }
      // This month so far against the whole of last month, each card's "vs" value from the API.
      const today = new Date().toISOString().slice(0, 10);
      const monthStart = `${today.slice(0, 7)}-01`;
      const lastMonthEnd = new Date(Date.parse(`${monthStart}T00:00:00Z`) - DAY).toISOString().slice(0, 10);
      const lastMonth = (await api(`/api/v1/kpis?from=${lastMonthEnd.slice(0, 7)}-01&to=${lastMonthEnd}`)).body as KpiReport;
      const month = await lead.agent.get(`/?from=${monthStart}&to=${today}`).expect(200);
      assert.match(month.text, new RegExp(`compared with ${lastMonthEnd.slice(0, 7)}-01 to ${lastMonthEnd}`));
      const csatCard = /data-kpi="csat">([\s\S]*?)<\/article>/.exec(month.text)?.[1] ?? '';
      const previousCsat = metricsOf(lastMonth.total).csat;
      assert.ok(csatCard.includes(`vs ${previousCsat.display}`) || csatCard.includes(`Previous period: ${previousCsat.display}`), `CSAT card compares with last month's ${previousCsat.display}`);
      const page = await lead.agent.get('/').expect(200);
      assert.match(page.text, /compared with/);
      assert.match(page.text, /aria-current="page">Last 30 days</, 'the default period is marked among the presets');
      assert.match(page.text, /95% CI/);
    });

    it('shows each agent, team and channel row as the API groups them, small groups unranked', async () => {
      for (const dim of ['agent', 'team', 'channel'] as const) {
        const report = (await api(`/api/v1/kpis?group_by=${dim}`)).body as KpiReport;
        const page = await lead.agent.get(`/${dim}s`).expect(200);
        for (const g of report.groups) {
          const key = String(g.key[dim] ?? '');
          const row = new RegExp(`<tr( class="insufficient")? data-key="${key}">([\\s\\S]*?)</tr>`).exec(page.text);
          assert.ok(row, `${dim} ${key} has a row`);
          assert.equal(Boolean(row[1]), g.insufficient, `${dim} ${key} greyed when insufficient`);
          if (g.insufficient) assert.match(row[2] ?? '', /<td>—<span class="sr-only">/);
          assertShows(row[2] ?? '', g, `${dim} ${key}`);
        }
        assertShows(page.text, report.total, `${dim} total`);
      }
    });

    it('sorts by a KPI column, best first, and ranks only groups with enough answers', async () => {
      const page = await lead.agent.get('/agents?sort=csat&dir=desc').expect(200);
      const keys = [...page.text.matchAll(/data-key="([^"]*)"/g)].map((m) => m[1]);
      assert.deepEqual(keys, ['a-1', 'a-2']);
      assert.match(page.text, /aria-sort="descending"/);
    });

    it('escapes names and comments everywhere they are shown', async () => {
      for (const path of ['/agents', '/responses', '/agents/a-1', '/agents/a-2']) {
        const page = await lead.agent.get(path).expect((r) => assert.ok(r.status === 200, path));
        assert.doesNotMatch(page.text, /<script>alert|<Bold>/, path);
      }
      const responses = await lead.agent.get('/responses').expect(200);
      assert.match(responses.text, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
      assert.match(responses.text, /Bo &lt;Bold&gt;/);
    });

    it('filters answers by score band, comment text and presence, and links to the ticket', async () => {
      const unhappy = await lead.agent.get('/responses?band=unhappy').expect(200);
      const count = (html: string) => (html.match(/class="verbatim"/g) ?? []).length;
      assert.equal(count(unhappy.text), 3, 'CSAT 2 / NPS 3, CSAT 1 / NPS 0, NPS 6');
      assert.equal(count((await lead.agent.get('/responses?q=CALLED').expect(200)).text), 1);
      assert.equal(count((await lead.agent.get('/responses?q=100%25').expect(200)).text), 0, 'a % is searched as text');
      assert.equal(count((await lead.agent.get('/responses?has_comment=1').expect(200)).text), 5);
      assert.equal(count((await lead.agent.get('/responses?band=happy&agent=a-1').expect(200)).text), 3);
      assert.match(unhappy.text, /href="https:\/\/helpdesk.example.com\/T-1001"/);
    });

    it('says which filter was not understood and shows the defaults (422), never a server error', async () => {
      for (const query of ['from=yesterday', 'to=2026-02-30', 'channel=Not%20A%20Slug', 'from=2026-05-01&to=2026-04-01', 'agent=a&agent=b', 'sort=evil&dir=sideways']) {
        for (const path of ['/', '/agents', '/responses']) {
          const res = await lead.agent.get(`${path}?${query}`);
          assert.ok(res.status === 200 || res.status === 422, `${path}?${query} → ${res.status}`);
          if (res.status === 422) assert.match(res.text, /not understood/);
        }
      }
      await lead.agent.get('/responses?after=garbage').expect(200);
      await lead.agent.get(`/responses?after=1_${'-'.repeat(36)}`).expect(200);
      for (const path of ['/?from=1970-01-01&to=5000-01-01', '/?to=9999-12-31', '/agents?to=9999-12-31', '/agents/a-1?from=0001-01-01']) {
        const res = await lead.agent.get(path);
        assert.equal(res.status, 422, path);
      }
      for (const path of ['/responses.csv?to=9999-12-31', '/agents.csv?from=yesterday', '/channels.csv?channel=NOPE']) {
        const res = await lead.agent.get(path).expect(422);
        assert.match(res.text, /export was not made/, path);
      }
    });

    it('runs the follow-up queue: open → contacted → closed, with a note and who did it', async () => {
      const queue = await lead.agent.get('/responses?queue=1').expect(200);
      const ids = [...queue.text.matchAll(/id="r-([0-9a-f-]{36})"/g)].map((m) => m[1] ?? '');
      assert.equal(ids.length, 3, 'every unhappy answer starts open');
      const [first] = ids;
      const csrf = csrfOf(queue.text);
      await lead.agent.post(`/responses/${first}/follow-up`).type('form').send({ _csrf: csrf, status: 'contacted', note: 'Called, <b>sorry</b>', back: '/responses?queue=1' }).expect(303);
      const contacted = await lead.agent.get('/responses?follow_up=contacted').expect(200);
      assert.match(contacted.text, new RegExp(`id="r-${first}"`));
      assert.match(contacted.text, /Called, &lt;b&gt;sorry&lt;\/b&gt;/);
      assert.match(contacted.text, new RegExp(lead.email));
      await lead.agent.post(`/responses/${first}/follow-up`).type('form').send({ _csrf: csrf, status: 'closed', note: '' }).expect(303);
      assert.equal((await lead.agent.get('/responses?queue=1').expect(200)).text.match(/class="verbatim"/g)?.length, 2);
      const row = await t.db('follow_ups').where({ response_id: first }).first('status', 'note', 'updated_by');
      assert.deepEqual(row, { status: 'closed', note: null, updated_by: lead.id });
    });

    it('rejects a bad follow-up (unknown status, long note, unknown response) and stores nothing', async () => {
      const queue = await lead.agent.get('/responses?queue=1').expect(200);
      const id = /id="r-([0-9a-f-]{36})"/.exec(queue.text)?.[1] ?? '';
      const csrf = csrfOf(queue.text);
      const before = await t.db('follow_ups').select('*').orderBy('response_id');
      await lead.agent.post(`/responses/${id}/follow-up`).type('form').send({ _csrf: csrf, status: 'resolved' }).expect(422);
      await lead.agent.post(`/responses/${id}/follow-up`).type('form').send({ _csrf: csrf, status: 'closed', note: 'x'.repeat(2001) }).expect(422);
      await lead.agent.post('/responses/not-a-uuid/follow-up').type('form').send({ _csrf: csrf, status: 'closed' }).expect(404);
      await lead.agent.post('/responses/00000000-0000-4000-8000-000000000000/follow-up').type('form').send({ _csrf: csrf, status: 'closed' }).expect(404);
      await lead.agent.post(`/responses/${id}/follow-up`).type('form').send(`_csrf=${encodeURIComponent(csrf)}&status=closed&status=open`).expect(422);
      assert.deepEqual(await t.db('follow_ups').select('*').orderBy('response_id'), before);
    });

    it('exports the answers as RFC 4180 CSV, neutralising formulas', async () => {
      const res = await lead.agent.get('/responses.csv').expect(200);
      assert.match(String(res.headers['content-type']), /^text\/csv; charset=utf-8/);
      assert.match(String(res.headers['content-disposition']), /attachment; filename="rapport-responses-/);
      const text = res.text;
      assert.ok(text.startsWith('answered_at,closed_at,interaction_id,source,external_id,agent,agent_name,team,channel,nps,csat,ces,comment,ticket_url,follow_up,follow_up_note\r\n'));
      assert.ok(text.includes(`"'=HYPERLINK(""http://evil.example"",""click"") <script>alert(1)</script>"`), 'formula neutralised and quotes doubled');
      assert.ok(text.includes('"Quick, ""quoted"", and\nmultiline"'), 'commas, quotes and line breaks quoted');
      assert.ok(text.includes(",'+1 for trying,"), 'a leading + is neutralised');
      assert.equal(text.split('\r\n').filter((l) => /^\d{4}-/.test(l)).length, 6, 'one row per answer in the last 30 days');
      const filtered = await lead.agent.get('/responses.csv?channel=phone').expect(200);
      assert.equal(filtered.text.split('\r\n').filter((l) => /^\d{4}-/.test(l)).length, 1);
    });

    it('exports a KPI table as CSV at full precision, matching the API', async () => {
      const report = (await api('/api/v1/kpis?group_by=channel')).body as KpiReport;
      const res = await lead.agent.get('/channels.csv').expect(200);
      const [header, ...rows] = res.text.trim().split('\r\n');
      const columns = (header ?? '').split(',');
      for (const g of report.groups) {
        const cells = (rows.find((r) => r.startsWith(`${g.key.channel},`)) ?? '').split(',');
        const cell = (name: string) => cells[columns.indexOf(name)];
        assert.equal(cell('responses'), String(g.responses));
        assert.equal(cell('nps'), g.nps.score === null ? '' : String(g.nps.score));
        assert.equal(cell('csat_ci95_low'), g.csat.ci95 === null ? '' : String(g.csat.ci95[0]));
        assert.equal(cell('resolution_median_s'), g.resolution_seconds.median === null ? '' : String(g.resolution_seconds.median));
      }
    });

    it('shows an agent page with the agent’s figures and recent comments, and 404 for an unknown agent', async () => {
      const report = (await api('/api/v1/kpis?agent=a-2')).body as KpiReport;
      const page = await lead.agent.get('/agents/a-2').expect(200);
      assertShows(page.text, report.total, 'agent a-2');
      assert.match(page.text, /Nobody called me back/);
      await lead.agent.get('/agents/nobody').expect(404);
    });
  });
}
