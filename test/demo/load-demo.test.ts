import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DemoAlreadyLoaded, loadDemo, type DemoProgress, type DemoSummary } from '../../src/demo';
import { computeKpis, computeKpisFromRawRows } from '../../src/kpis';
import { addDays, dayOf } from '../../src/kpis/report-calendar';
import { ENGINES, createTestDatabase, snapshotCounts, type TestDatabase } from '../support/database';

const DAY_MS = 86_400_000;

for (const engine of ENGINES) {
  describe(`demo loader (${engine})`, () => {
    let t: TestDatabase;
    let now: number;
    let summary: DemoSummary;
    const progress: DemoProgress[] = [];
    before(async () => {
      t = await createTestDatabase(engine);
      now = Date.now();
      summary = await loadDemo(t.db, { interactions: 3000, days: 30, seed: 7, now, batchSize: 1000 }, (p) => progress.push(p));
    });
    after(async () => t.cleanup());

    const count = async (sql: string, bindings: readonly number[] = []): Promise<number> => {
      const result = (await t.db.raw(sql, bindings)) as { rows?: { n: number | string }[] } | { n: number | string }[];
      const rows = Array.isArray(result) ? result : (result.rows ?? []);
      return Number(rows[0]?.n);
    };

    it('stores every interaction with exactly one survey, and reports what it stored', async () => {
      assert.equal(await count(`select count(*) as n from interactions where source = 'demo'`), 3000);
      assert.equal(await count(`select count(*) as n from surveys`), 3000);
      assert.equal(await count(`select count(*) as n from interactions i left join surveys s on s.interaction_id = i.id where s.id is null`), 0);
      assert.equal(await count(`select count(*) as n from outbox_messages`), summary.surveysSent);
      assert.equal(await count(`select count(*) as n from responses`), summary.responses);
      assert.equal(await count(`select count(*) as n from customers`), summary.customers);
      assert.equal(await count(`select count(*) as n from agents`), 8);
      assert.equal(await count(`select count(*) as n from teams`), 4);
      assert.deepEqual(progress.map((p) => p.interactions), [1000, 2000, 3000]);
      assert.equal(progress.at(-1)?.responses, summary.responses);
    });

    it('leaves KPI rollups that give the same KPIs as the raw rows', async () => {
      assert.ok(summary.rollupRows > 0);
      const today = dayOf(now, 'UTC');
      for (const groupBy of [['agent', 'channel'], ['week'], ['month', 'team']] as const) {
        const q = { from: addDays(today, -29), to: today, agent: null, team: null, channel: null, groupBy };
        assert.deepEqual(await computeKpis(t.db, 'UTC', 10, q), await computeKpisFromRawRows(t.db, 'UTC', 10, q));
      }
    });

    it('sends about 90 % of surveys, with an outbox email each, and about 30 % are answered', async () => {
      const sent = await count(`select count(*) as n from surveys where status in ('sent', 'expired')`);
      assert.ok(sent / 3000 >= 0.85 && sent / 3000 <= 0.95, `sent ${sent}`);
      assert.equal(await count(`select count(*) as n from surveys where status = 'suppressed' and reason in ('throttled', 'not_requested')`), 3000 - sent);
      const responses = await count(`select count(*) as n from responses`);
      assert.ok(responses / sent >= 0.22 && responses / sent <= 0.38, `response rate ${responses / sent}`);
      assert.equal(
        await count(`select count(*) as n from surveys s join outbox_messages o on o.survey_id = s.id
          where s.status in ('sent', 'expired') and o.status = 'sent' and o.attempts = 1 and o.sent_at = s.sent_at
            and o.message_id = '<survey-' || s.id || '@demo.invalid>'`),
        sent,
      );
      assert.equal(await count(`select count(*) as n from outbox_messages o join surveys s on s.id = o.survey_id where s.status = 'suppressed'`), 0);
      assert.equal(await count(`select count(*) as n from surveys where status in ('sent', 'expired') and (expires_at <> sent_at + ? or sent_at < send_at or sent_at > ?)`, [30 * DAY_MS, now]), 0);
      assert.equal(await count(`select count(*) as n from surveys where (status = 'expired') <> (expires_at <= ?) and status <> 'suppressed'`, [now]), 0);
    });

    it('closes interactions within the last 30 days, with first responses between opening and closing', async () => {
      assert.equal(await count(`select count(*) as n from interactions where closed_at < ? or closed_at > ?`, [now - 30 * DAY_MS, now]), 0);
      assert.equal(await count(`select count(*) as n from interactions where not (opened_at <= first_response_at and first_response_at <= closed_at)`), 0);
      assert.equal(await count(`select count(*) as n from interactions where contacts not in (1, 2, 3)`), 0);
      const row = (await t.db('interactions').first('metadata', 'external_id').orderBy('closed_at')) as { metadata: string; external_id: string };
      assert.equal(row.external_id, 'demo-7-1');
      assert.match((JSON.parse(row.metadata) as { ticket_url: string }).ticket_url, /^https:\/\/helpdesk\.example\.com\/tickets\/demo-7-1$/);
    });

    it('keeps every reference consistent', async () => {
      assert.equal(await count(`select count(*) as n from interactions i left join agents a on a.id = i.agent_id where a.id is null`), 0);
      assert.equal(await count(`select count(*) as n from interactions i join agents a on a.id = i.agent_id where i.team_id is null or i.team_id <> a.team_id`), 0);
      assert.equal(await count(`select count(*) as n from interactions i left join customers c on c.id = i.customer_id where c.id is null`), 0);
      assert.equal(await count(`select count(*) as n from surveys s join interactions i on i.id = s.interaction_id where s.customer_id <> i.customer_id`), 0);
      assert.equal(
        await count(`select count(*) as n from responses r join surveys s on s.id = r.survey_id
          where r.interaction_id <> s.interaction_id or s.status not in ('sent', 'expired')
             or r.first_submitted_at <= s.sent_at or r.first_submitted_at >= s.expires_at or r.updated_at < r.first_submitted_at or r.updated_at > ?`, [now]),
        0,
      );
      assert.equal(await count(`select count(*) as n from responses r left join surveys s on s.id = r.survey_id where s.id is null`), 0);
      assert.equal(await count(`select count(*) as n from customers where email not like 'customer%+s7@example.com'`), 0);
    });

    it('answers in the customer\u2019s language, with comments in English, Spanish and Indonesian', async () => {
      const locales = (await t.db('responses').whereNotNull('comment').distinct('locale').orderBy('locale')) as { locale: string }[];
      assert.deepEqual(locales.map((l) => l.locale), ['en', 'es', 'id']);
      assert.equal(
        await count(`select count(*) as n from responses r join surveys s on s.id = r.survey_id join customers c on c.id = s.customer_id where r.locale <> c.locale or s.locale <> c.locale`),
        0,
      );
      assert.equal(await count(`select count(*) as n from responses where csat is null and ces is null and nps is null and comment is null`), 0);
      assert.equal(await count(`select count(*) as n from responses where csat not between 1 and 5 or ces not between 1 and 7 or nps not between 0 and 10`), 0);
    });

    it('refuses to load the same seed twice and changes nothing', async () => {
      const before = await snapshotCounts(t.db);
      await assert.rejects(loadDemo(t.db, { interactions: 10, days: 1, seed: 7, now }), (error: unknown) => {
        assert.ok(error instanceof DemoAlreadyLoaded);
        assert.equal(error.code, 'demo_already_loaded');
        return true;
      });
      assert.deepEqual(await snapshotCounts(t.db), before);
    });

    it('loads another seed beside it, sharing the teams', async () => {
      const other = await loadDemo(t.db, { interactions: 500, days: 3, seed: 8, now });
      assert.equal(other.interactions, 500);
      assert.equal(await count(`select count(*) as n from interactions where source = 'demo'`), 3500);
      assert.equal(await count(`select count(*) as n from agents`), 16);
      assert.equal(await count(`select count(*) as n from teams`), 4);
      assert.equal(await count(`select count(*) as n from interactions where external_id like 'demo-8-%' and closed_at < ?`, [now - 3 * DAY_MS]), 0);
      assert.equal(await count(`select count(*) as n from surveys`), 3500);
    });
  });
}
