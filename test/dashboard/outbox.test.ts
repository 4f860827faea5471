import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import request from 'supertest';
import { postTrigger, startTestApp, type TestApp } from '../support/app';
import { ENGINES } from '../support/database';
import { signedIn } from '../support/dashboard';
import { sendSurvey } from '../support/surveys';
import { startSmtpSink, type SmtpSink } from '../support/smtp';
import { buildTrigger } from '../support/triggers';

const SCRIPT = '<script>alert(1)</script>';
const PREVIEW_CSP = "sandbox; default-src 'none'; img-src https: data:; style-src 'unsafe-inline'; frame-ancestors 'none'";

/** The rows of the outbox table on a page: the text of each cell (status, recipient, subject, attempts, due, sent, last error). */
function rowsOf(html: string): string[][] {
  const body = /<tbody>([\s\S]*?)<\/tbody>/.exec(html)?.[1] ?? '';
  return [...body.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((m) => [...(m[1] ?? '').matchAll(/<td[^>]*>([\s\S]*?)<\/td>/g)].map((c) => (c[1] ?? '').replace(/<[^>]+>/g, '').trim()));
}

for (const engine of ENGINES) {
  describe(`dashboard outbox in capture mode (${engine})`, () => {
    let t: TestApp;
    let lead: Awaited<ReturnType<typeof signedIn>>;
    let admin: Awaited<ReturnType<typeof signedIn>>;
    let captured: { surveyId: string; outboxId: string };

    before(async () => {
      t = await startTestApp(engine, { SURVEY_DELAY_SECONDS: '0', SURVEY_THROTTLE_DAYS: '0', MAIL_FROM: 'Acme Support <csat@acme.test>' });
      lead = await signedIn(t, 'lead');
      admin = await signedIn(t, 'admin');
      const survey = await sendSurvey(t, { customer: { email: 'carla@example.org', name: SCRIPT, locale: 'en' } });
      const row = await t.db('outbox_messages').where({ survey_id: survey.surveyId }).first('id');
      captured = { surveyId: survey.surveyId, outboxId: row.id };
    });
    after(async () => {
      await t.close();
    });

    it('sends anonymous visitors to /login', async () => {
      for (const path of ['/outbox', `/outbox/${captured.outboxId}`, `/outbox/${captured.outboxId}/preview`, '/outbox?status=failed']) {
        const res = await request(t.app).get(path);
        assert.equal(res.status, 303, path);
        assert.equal(res.headers.location, `/login?next=${encodeURIComponent(path)}`);
      }
    });

    it('lists captured emails for leads and admins, with the capture-mode notice, escaped', async () => {
      for (const user of [lead, admin]) {
        const res = await user.agent.get('/outbox');
        assert.equal(res.status, 200);
        assert.equal(res.headers['cache-control'], 'no-store');
        assert.match(res.text, /Capture mode: no email leaves this machine/);
        assert.match(res.text, /set <code>SMTP_URL<\/code>/);
        assert.match(res.text, /<a href="\/outbox" aria-current="page">Outbox<\/a>/);
        const [row] = rowsOf(res.text);
        assert.deepEqual([row?.[1], row?.[0], row?.[3]], ['carla@example.org', 'captured', '1']);
        assert.ok(!res.text.includes(SCRIPT), 'the subject is escaped');
        assert.match(res.text, /How did we do, &lt;script&gt;alert\(1\)&lt;\/script&gt;\?/);
      }
    });

    it('shows a captured email: facts, its text part, and a link to the HTML preview', async () => {
      const res = await admin.agent.get(`/outbox/${captured.outboxId}`);
      assert.equal(res.status, 200);
      assert.match(res.text, /<pre class="mail">/);
      assert.match(res.text, /\/s\/[A-Za-z0-9_-]{43}\?csat=5/, 'an admin sees the live links, to try the survey');
      const masked = await lead.agent.get(`/outbox/${captured.outboxId}`).expect(200);
      assert.doesNotMatch(masked.text, /\/[su]\/[A-Za-z0-9_-]{43}/, 'a lead never sees a survey token');
      assert.match(masked.text, /\/s\/…\?csat=5/);
      assert.match(res.text, new RegExp(`href="/outbox/${captured.outboxId}/preview"`));
      assert.ok(!res.text.includes(SCRIPT), 'the text part is escaped');
      assert.match(res.text, /carla@example\.org/);
    });

    it('serves the HTML part under its own sandboxing CSP, never cached', async () => {
      const leadView = await lead.agent.get(`/outbox/${captured.outboxId}/preview`).expect(200);
      assert.doesNotMatch(leadView.text, /\/[su]\/[A-Za-z0-9_-]{43}/, 'a lead never sees a survey token');
      const res = await admin.agent.get(`/outbox/${captured.outboxId}/preview`);
      assert.equal(res.status, 200);
      assert.equal(res.headers['content-security-policy'], PREVIEW_CSP);
      assert.match(res.headers['content-type'] ?? '', /^text\/html/);
      assert.equal(res.headers['cache-control'], 'no-store');
      assert.equal(res.headers['referrer-policy'], 'no-referrer');
      assert.equal(res.headers['x-content-type-options'], 'nosniff');
      const stored = await t.db('outbox_messages').where({ id: captured.outboxId }).first('html');
      assert.equal(res.text, stored.html);
    });

    it('answers a friendly 404 for unknown and malformed ids (never a 500)', async () => {
      for (const id of ['00000000-0000-4000-8000-000000000000', 'not-a-uuid', '1%27%20or%201%3D1', 'ZZZZZZZZ-ZZZZ-ZZZZ-ZZZZ-ZZZZZZZZZZZZ']) {
        for (const suffix of ['', '/preview']) {
          const res = await lead.agent.get(`/outbox/${id}${suffix}`);
          assert.equal(res.status, 404, `${id}${suffix}`);
          assert.match(res.text, /No such email/);
        }
      }
    });

    it('says that a pending email has no content yet, and has no preview', async () => {
      const res = await postTrigger(t, buildTrigger({ customer: { email: 'later@example.org' } }, t.clock()));
      const row = await t.db('outbox_messages').where({ survey_id: res.body.survey.id }).first('id');
      const page = await lead.agent.get(`/outbox/${row.id}`).expect(200);
      assert.match(page.text, /has not been composed yet/);
      assert.equal((await lead.agent.get(`/outbox/${row.id}/preview`)).status, 404);
      await t.worker().runOnce();
    });

    it('pages 50 at a time, newest first, forwards and back, and filters by status', async () => {
      for (let i = 0; i < 55; i++) assert.equal((await postTrigger(t, buildTrigger({ customer: { email: `page-${i}@example.org` } }, t.clock()))).status, 201);
      const first = await lead.agent.get('/outbox').expect(200);
      const firstRows = rowsOf(first.text);
      assert.equal(firstRows.length, 50);
      assert.equal(firstRows[0]?.[1], 'page-54@example.org');
      assert.equal(firstRows[0]?.[0], 'pending');
      const older = /href="(\/outbox\?before=[^"]+)" rel="next"/.exec(first.text)?.[1];
      assert.ok(older, 'an Older link');
      assert.doesNotMatch(first.text, /rel="prev"/);
      const second = await lead.agent.get(older.replace(/&amp;/g, '&')).expect(200);
      const secondRows = rowsOf(second.text);
      // 55 new + 2 earlier emails (the captured one and the pending one sent since).
      assert.equal(secondRows.length, 7);
      assert.equal(secondRows.at(-1)?.[1], 'carla@example.org');
      assert.doesNotMatch(second.text, /rel="next"/);
      const newer = /href="(\/outbox\?after=[^"]+)" rel="prev"/.exec(second.text)?.[1];
      assert.ok(newer, 'a Newer link');
      const back = await lead.agent.get(newer.replace(/&amp;/g, '&')).expect(200);
      assert.deepEqual(rowsOf(back.text), firstRows);

      const capturedOnly = rowsOf((await lead.agent.get('/outbox?status=captured').expect(200)).text);
      assert.deepEqual(capturedOnly.map((r) => r[1]).sort(), ['carla@example.org', 'later@example.org']);
      assert.equal(rowsOf((await lead.agent.get('/outbox?status=pending').expect(200)).text).length, 50);
      assert.equal(rowsOf((await lead.agent.get('/outbox?status=failed').expect(200)).text).length, 0);
      // Tampered query strings show a page, never an error.
      for (const q of ['?status=bogus', '?before=123_nope', '?after=x', '?status[]=sent', '?before=1_00000000-0000-4000-8000-000000000000&after=9']) {
        assert.equal((await lead.agent.get(`/outbox${q}`)).status, 200, q);
      }
    });
  });

  describe(`dashboard outbox over SMTP (${engine})`, () => {
    let smtp: SmtpSink;
    let t: TestApp;
    let lead: Awaited<ReturnType<typeof signedIn>>;

    before(async () => {
      smtp = await startSmtpSink();
      t = await startTestApp(engine, { SMTP_URL: smtp.url, SURVEY_DELAY_SECONDS: '0', SURVEY_THROTTLE_DAYS: '0' });
      lead = await signedIn(t, 'lead');
    });
    after(async () => {
      await t.close();
      await smtp.close();
    });

    const drain = async (): Promise<void> => {
      const worker = t.worker();
      while ((await worker.runOnce()) > 0);
    };

    it('shows failed and retried deliveries with attempts and the last error, escaped; no capture notice', async () => {
      smtp.reply = (to) =>
        to[0]?.startsWith('gone')
          ? { accept: false, code: 550, message: `No such user <img src=x onerror=alert(1)>` }
          : to[0]?.startsWith('busy')
            ? { accept: false, code: 451, message: 'Greylisted, try again later' }
            : { accept: true };
      const gone = await postTrigger(t, buildTrigger({ customer: { email: 'gone@example.org' } }, t.clock()));
      const busy = await postTrigger(t, buildTrigger({ customer: { email: 'busy@example.org' } }, t.clock()));
      const fine = await postTrigger(t, buildTrigger({ customer: { email: 'fine@example.org' } }, t.clock()));
      await drain();
      assert.equal(smtp.received.length, 1);

      const res = await lead.agent.get('/outbox').expect(200);
      assert.doesNotMatch(res.text, /Capture mode/);
      const rows = rowsOf(res.text);
      const byRecipient = new Map(rows.map((r) => [r[1], r]));
      assert.deepEqual([byRecipient.get('gone@example.org')?.[0], byRecipient.get('gone@example.org')?.[3]], ['failed', '1']);
      assert.match(byRecipient.get('gone@example.org')?.[6] ?? '', /550/);
      assert.deepEqual([byRecipient.get('busy@example.org')?.[0], byRecipient.get('busy@example.org')?.[3]], ['pending', '1']);
      assert.match(byRecipient.get('busy@example.org')?.[6] ?? '', /Greylisted/);
      assert.deepEqual([byRecipient.get('fine@example.org')?.[0], byRecipient.get('fine@example.org')?.[3]], ['sent', '1']);
      assert.ok(!res.text.includes('<img src=x'), 'the SMTP error is escaped');
      assert.match(res.text, /&lt;img src=x onerror=alert\(1\)&gt;/);

      const failed = rowsOf((await lead.agent.get('/outbox?status=failed').expect(200)).text);
      assert.deepEqual(failed.map((r) => r[1]), ['gone@example.org']);

      const goneRow = await t.db('outbox_messages').where({ survey_id: gone.body.survey.id }).first('id');
      const detail = await lead.agent.get(`/outbox/${goneRow.id}`).expect(200);
      assert.match(detail.text, /Last error/);
      assert.ok(!detail.text.includes('<img src=x'));
      const fineRow = await t.db('outbox_messages').where({ survey_id: fine.body.survey.id }).first('id');
      const sent = await lead.agent.get(`/outbox/${fineRow.id}`).expect(200);
      assert.match(sent.text, /does not keep the content of emails it delivers/);
      assert.equal((await lead.agent.get(`/outbox/${fineRow.id}/preview`)).status, 404);
      assert.ok(busy.status === 201);
    });
  });
}
