import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import request from 'supertest';
import { freePort } from '../support/net';
import { ENGINES } from '../support/database';
import { postTrigger, startTestApp, withSetting, type TestApp } from '../support/app';
import { startSmtpSink, type SmtpSink } from '../support/smtp';
import { buildTrigger, type TriggerBody } from '../support/triggers';

const DAY = 86_400_000;

/** A header as sent, unfolded (mailparser restructures List-* headers). */
function rawHeader(raw: string, name: string): string {
  const head = (raw.split(/\r?\n\r?\n/)[0] ?? '').replace(/\r?\n[ \t]+/g, ' ');
  const line = head.split(/\r?\n/).find((l) => l.toLowerCase().startsWith(`${name.toLowerCase()}:`));
  return line ? line.slice(name.length + 1).trim() : '';
}

function linksIn(text: string): string[] {
  return [...text.matchAll(/https?:\/\/[^\s"<>]+/g)].map((m) => m[0].replace(/&amp;/g, '&'));
}

for (const engine of ENGINES) {
  describe(`survey delivery over SMTP (${engine})`, () => {
    let smtp: SmtpSink;
    let t: TestApp;
    before(async () => {
      smtp = await startSmtpSink();
      t = await startTestApp(engine, { SMTP_URL: smtp.url, SURVEY_DELAY_SECONDS: '0', BASE_URL: 'http://rapport.test', MAIL_FROM: 'Acme Support <csat@acme.test>' });
    });
    after(async () => {
      await t.close();
      await smtp.close();
    });
    afterEach(() => {
      smtp.reply = () => ({ accept: true });
    });

    const post = (body: TriggerBody) => postTrigger(t, body);

    /** Runs a worker until nothing is due (each runOnce claims, sends and records one batch). */
    const drain = async (): Promise<void> => {
      const worker = t.worker();
      while ((await worker.runOnce()) > 0);
    };

    const outboxOf = async (surveyId: string) => t.db('outbox_messages').where({ survey_id: surveyId }).first();

    it('emails the customer once: headers, an HTML and a text part, one-click CSAT links and an unsubscribe link', async () => {
      const before = smtp.received.length;
      const res = await post(buildTrigger({ customer: { email: 'carla@example.org', name: 'Carla', locale: 'en' } }));
      assert.equal(res.status, 201);
      const worker = t.worker();
      worker.start();
      try {
        await smtp.waitFor(before + 1, 10_000);
      } finally {
        await worker.stop();
      }
      const mail = smtp.received[before];
      assert.ok(mail);
      const outbox = await outboxOf(res.body.survey.id);
      assert.equal(outbox.status, 'sent');
      assert.equal(mail.parsed.messageId, outbox.message_id);
      assert.deepEqual(mail.to, ['carla@example.org']);
      assert.equal(mail.parsed.from?.value[0]?.address, 'csat@acme.test');
      assert.equal(mail.parsed.from?.value[0]?.name, 'Acme Support');
      assert.equal(mail.parsed.subject, 'How did we do, Carla?');
      const listUnsubscribe = rawHeader(mail.raw, 'List-Unsubscribe');
      assert.match(listUnsubscribe, /^<http:\/\/rapport\.test\/u\/[A-Za-z0-9_-]{43}>$/);
      assert.equal(rawHeader(mail.raw, 'List-Unsubscribe-Post'), 'List-Unsubscribe=One-Click');

      const html = String(mail.parsed.html);
      const text = mail.parsed.text ?? '';
      const token = /\/u\/([A-Za-z0-9_-]{43})/.exec(listUnsubscribe)?.[1] as string;
      for (const part of [html, text]) {
        const links = linksIn(part);
        for (let v = 1; v <= 5; v++) assert.ok(links.includes(`http://rapport.test/s/${token}?csat=${v}`), `csat=${v} link in ${part.slice(0, 80)}`);
        assert.ok(links.includes(`http://rapport.test/s/${token}`));
        assert.ok(links.includes(`http://rapport.test/u/${token}`));
      }
      assert.match(html, /How satisfied are you with the support you received\?/);
      assert.match(html, /aria-label="5 – Very satisfied"/);

      const survey = await t.db('surveys').where({ id: res.body.survey.id }).first();
      assert.equal(survey.status, 'sent');
      assert.ok(Number(survey.expires_at) > Number(survey.sent_at) + 29 * DAY);
      const stored = await t.db('survey_tokens').where({ survey_id: res.body.survey.id });
      assert.equal(stored.length, 1);
      assert.notEqual(stored[0].token_hash, token);

      // The unsubscribe link resolves to a confirmation page.
      const page = await request(t.app).get(`/u/${token}`);
      assert.equal(page.status, 200);
      assert.equal(page.headers['referrer-policy'], 'no-referrer');
      assert.match(page.text, /c\*\*\*a@example\.org/);

      // Nothing is sent twice: the worker finds nothing more to do.
      assert.equal(await t.worker().runOnce(), 0);
      assert.equal(smtp.received.filter((m) => m.parsed.messageId === outbox.message_id).length, 1);
    });

    it('writes in the customer language: Spanish, Indonesian, else the default', async () => {
      const before = smtp.received.length;
      await post(buildTrigger({ customer: { email: 'es@example.org', name: 'Lucía', locale: 'es-MX' } }));
      await post(buildTrigger({ customer: { email: 'id@example.org', name: 'Budi', locale: 'id' } }));
      await post(buildTrigger({ customer: { email: 'fr@example.org', locale: 'fr' } }));
      await drain();
      const byTo = new Map(smtp.received.slice(before).map((m) => [m.to[0], m]));
      assert.equal(byTo.get('es@example.org')?.parsed.subject, '¿Qué tal lo hicimos, Lucía?');
      assert.match(byTo.get('es@example.org')?.parsed.text ?? '', /Darme de baja de estas encuestas/);
      assert.match(String(byTo.get('es@example.org')?.parsed.html), /<html lang="es">/);
      assert.equal(byTo.get('id@example.org')?.parsed.subject, 'Bagaimana layanan kami, Budi?');
      assert.equal(byTo.get('fr@example.org')?.parsed.subject, 'How did we do?');
    });

    it('embeds the first question chosen in Settings, with its own scale', async () => {
      await withSetting(t, 'survey.questions', ['nps', 'csat', 'comment'], async () => {
        const before = smtp.received.length;
        await post(buildTrigger({ customer: { email: 'nps-first@example.org', locale: 'en' } }));
        await drain();
        const text = smtp.received[before]?.parsed.text ?? '';
        const links = linksIn(text).filter((l) => l.includes('?'));
        assert.deepEqual(
          links.map((l) => new URL(l).search),
          Array.from({ length: 11 }, (_, i) => `?nps=${i}`),
        );
        assert.match(text, /0 – Not at all likely/);
        assert.match(text, /10 – Extremely likely/);
      });
    });

    it('throttles a second survey to the same email for SURVEY_THROTTLE_DAYS, then sends again', async () => {
      const email = 'throttle@example.org';
      const first = await post(buildTrigger({ customer: { email } }));
      await drain();
      assert.equal((await outboxOf(first.body.survey.id)).status, 'sent');
      const second = await post(buildTrigger({ customer: { email } }));
      assert.equal(second.body.survey.reason, 'throttled');

      t.clock.set(Date.now() + 8 * DAY);
      try {
        const before = smtp.received.length;
        const later = await post(buildTrigger({ customer: { email } }, t.clock()));
        assert.equal(later.body.survey.status, 'scheduled');
        await drain();
        assert.equal(smtp.received.length, before + 1);
        assert.deepEqual(smtp.received[before]?.to, [email]);
      } finally {
        t.clock.set(Date.now());
      }
    });

    it('unsubscribes with the RFC 8058 one-click POST; later triggers are suppressed as unsubscribed', async () => {
      const email = 'leaving@example.org';
      const before = smtp.received.length;
      await post(buildTrigger({ customer: { email } }));
      await drain();
      const token = /\/u\/([A-Za-z0-9_-]{43})/.exec(rawHeader(smtp.received[before]?.raw ?? '', 'List-Unsubscribe'))?.[1];
      const res = await request(t.app).post(`/u/${token}`).type('form').send('List-Unsubscribe=One-Click');
      assert.equal(res.status, 200);
      assert.match(res.text, /unsubscribed/i);
      assert.ok((await t.db('customers').where({ email }).first()).unsubscribed_at);
      const again = await post(buildTrigger({ customer: { email } }));
      assert.deepEqual({ status: again.body.survey.status, reason: again.body.survey.reason }, { status: 'suppressed', reason: 'unsubscribed' });
      // Confirming from the page after the fact still answers kindly.
      assert.equal((await request(t.app).get(`/u/${token}`)).status, 200);
    });

    it('sends nothing to a customer who unsubscribed between scheduling and sending', async () => {
      const email = 'changed-mind@example.org';
      const res = await post(buildTrigger({ customer: { email } }));
      await t.db('customers').where({ email }).update({ unsubscribed_at: Date.now() });
      const before = smtp.received.length;
      await drain();
      assert.equal(smtp.received.length, before);
      assert.equal((await outboxOf(res.body.survey.id)).status, 'cancelled');
      const survey = await t.db('surveys').where({ id: res.body.survey.id }).first();
      assert.deepEqual([survey.status, survey.reason], ['cancelled', 'unsubscribed']);
    });

    it('answers 404 for an unknown unsubscribe token and changes nothing', async () => {
      const res = await request(t.app).post('/u/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA').type('form').send('List-Unsubscribe=One-Click');
      assert.equal(res.status, 404);
      assert.match(res.text, /could not find/i);
      assert.equal((await request(t.app).get('/u/x')).status, 404);
    });

    it('marks an email failed on a 5xx reply without retrying it', async () => {
      smtp.reply = () => ({ accept: false, code: 550, message: 'No such user here' });
      const res = await post(buildTrigger({ customer: { email: 'nobody@example.org' } }));
      await drain();
      const outbox = await outboxOf(res.body.survey.id);
      assert.equal(outbox.status, 'failed');
      assert.equal(outbox.attempts, 1);
      assert.match(outbox.last_error, /No such user here/);
      const survey = await t.db('surveys').where({ id: res.body.survey.id }).first();
      assert.deepEqual([survey.status, survey.reason], ['failed', 'delivery_failed']);
      t.clock.set(Date.now() + 3_600_000);
      try {
        assert.equal(await t.worker().runOnce(), 0);
      } finally {
        t.clock.set(Date.now());
      }
    });

    it('retries a 4xx reply after at most 10 s and delivers once', async () => {
      let refusals = 1;
      smtp.reply = () => (refusals-- > 0 ? { accept: false, code: 451, message: 'Try again later' } : { accept: true });
      const res = await post(buildTrigger({ customer: { email: 'greylisted@example.org' } }));
      const start = t.clock();
      await drain();
      const waiting = await outboxOf(res.body.survey.id);
      assert.equal(waiting.status, 'pending');
      assert.ok(Number(waiting.due_at) > start && Number(waiting.due_at) <= t.clock() + 10_000, 'first retry within 10 s');
      assert.match(waiting.last_error, /Try again later/);
      const before = smtp.received.length;
      t.clock.set(Number(waiting.due_at));
      try {
        await drain();
      } finally {
        t.clock.set(Date.now());
      }
      assert.equal((await outboxOf(res.body.survey.id)).status, 'sent');
      assert.equal(smtp.received.length, before + 1);
    });
  });

  describe(`survey delivery when the mail server is down at first (${engine})`, () => {
    it('retries with growing waits and delivers exactly once when the server comes up', async () => {
      const port = await freePort();
      const t = await startTestApp(engine, { SMTP_URL: `smtp://127.0.0.1:${port}`, SURVEY_DELAY_SECONDS: '0' });
      let smtp: SmtpSink | null = null;
      try {
        const res = await postTrigger(t, buildTrigger());
        const worker = t.worker();
        const waits: number[] = [];
        for (let attempt = 1; attempt <= 3; attempt++) {
          assert.equal(await worker.runOnce(), 1);
          const row = await t.db('outbox_messages').where({ survey_id: res.body.survey.id }).first();
          assert.equal(row.status, 'pending');
          assert.equal(row.attempts, attempt);
          assert.match(row.last_error, /ECONNREFUSED|ECONNECTION|connect/i);
          waits.push(Number(row.due_at) - t.clock());
          t.clock.set(Number(row.due_at));
        }
        assert.ok((waits[0] as number) <= 10_000, `first wait ${waits[0]} ms`);
        assert.ok((waits[2] as number) > (waits[0] as number), `waits grow: ${waits.join(', ')}`);
        smtp = await startSmtpSink(port);
        while ((await worker.runOnce()) > 0);
        assert.equal(smtp.received.length, 1);
        assert.equal((await t.db('outbox_messages').where({ survey_id: res.body.survey.id }).first()).status, 'sent');
        await worker.stop();
      } finally {
        await t.close();
        await smtp?.close();
      }
    });

    it('gives up once the survey would have expired', async () => {
      const port = await freePort();
      const t = await startTestApp(engine, { SMTP_URL: `smtp://127.0.0.1:${port}`, SURVEY_DELAY_SECONDS: '0', SURVEY_EXPIRY_DAYS: '1' });
      try {
        const res = await postTrigger(t, buildTrigger());
        const worker = t.worker();
        await worker.runOnce();
        t.clock.set(Date.now() + DAY - 1_000);
        await worker.runOnce();
        const row = await t.db('outbox_messages').where({ survey_id: res.body.survey.id }).first();
        assert.equal(row.status, 'failed');
        assert.match(row.last_error, /gave up/);
      } finally {
        await t.close();
      }
    });
  });

  describe(`capture mode (${engine})`, () => {
    it('keeps the rendered message in the outbox and counts the survey as sent, without any SMTP server', async () => {
      const t = await startTestApp(engine, { SURVEY_DELAY_SECONDS: '0' });
      try {
        const res = await postTrigger(t, buildTrigger({ customer: { email: 'demo@example.org', locale: 'id' } }));
        assert.equal(await t.worker().runOnce(), 1);
        const row = await t.db('outbox_messages').where({ survey_id: res.body.survey.id }).first();
        assert.equal(row.status, 'sent');
        assert.ok(row.captured);
        assert.match(row.subject, /Bagaimana layanan kami/);
        assert.match(row.text, /\/s\/[A-Za-z0-9_-]{43}\?csat=5/);
        assert.match(row.html, /<html lang="id">/);
        assert.equal((await t.db('surveys').where({ id: res.body.survey.id }).first()).status, 'sent');
        assert.doesNotMatch(t.logs(), /\/s\/[A-Za-z0-9_-]{43}/);
      } finally {
        await t.close();
      }
    });
  });

  describe(`several workers over one outbox (${engine})`, () => {
    it('sends each of 500 due emails exactly once with two workers at work', async () => {
      const smtp = await startSmtpSink();
      const t = await startTestApp(engine, { SMTP_URL: smtp.url, SURVEY_DELAY_SECONDS: '0', SURVEY_THROTTLE_DAYS: '0' });
      try {
        const responses = await Promise.all(
          Array.from({ length: 500 }, () =>
            postTrigger(t, buildTrigger()),
          ),
        );
        assert.ok(responses.every((r) => r.status === 201));
        const workers = [t.worker({ batchSize: 20 }), t.worker({ batchSize: 20 })];
        workers.forEach((w) => w.start());
        await smtp.waitFor(500, 60_000);
        await new Promise((r) => setTimeout(r, 300));
        await Promise.all(workers.map((w) => w.stop()));
        const ids = smtp.received.map((m) => m.parsed.messageId);
        assert.equal(ids.length, 500);
        assert.equal(new Set(ids).size, 500);
        const sent = await t.db('outbox_messages').where({ status: 'sent' }).count({ n: '*' }).first();
        assert.equal(Number((sent as { n: number }).n), 500);
        const claimedBy = await t.db('outbox_messages').distinct('worker_id');
        assert.equal(claimedBy.length, 2, 'both workers took part');
      } finally {
        await t.close();
        await smtp.close();
      }
    });
  });
}
