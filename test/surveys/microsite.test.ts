import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import request from 'supertest';
import { expireSurveys } from '../../src/surveys/expire-surveys';
import { ENGINES, snapshotCounts } from '../support/database';
import { startTestApp, withSetting, type TestApp } from '../support/app';
import { sendSurvey } from '../support/surveys';

const DAY = 86_400_000;

/** The values of the checked radio buttons on a page, by question. */
function checked(html: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of html.matchAll(/<input type="radio" name="(\w+)" value="(\d+)"[^>]*checked/g)) out[m[1] as string] = m[2] as string;
  return out;
}

for (const engine of ENGINES) {
  describe(`survey pages (${engine})`, () => {
    let t: TestApp;
    before(async () => {
      t = await startTestApp(engine, { SURVEY_DELAY_SECONDS: '0', SURVEY_THROTTLE_DAYS: '0', BASE_URL: 'http://rapport.test' });
    });
    after(async () => t.close());

    const post = (token: string, form: string) => request(t.app).post(`/s/${token}`).type('form').set('User-Agent', 'TestBrowser/1.0').send(form);

    it('renders the survey in the customer’s language with the one-click answer chosen, and records nothing', async () => {
      const s = await sendSurvey(t, { customer: { email: 'lucia@example.org', locale: 'es' } });
      const counts = await snapshotCounts(t.db);
      const res = await request(t.app).get(`/s/${s.token}?csat=4`);
      assert.equal(res.status, 200);
      assert.match(res.text, /<html lang="es">/);
      assert.equal(res.headers['content-language'], 'es');
      assert.match(res.text, /¿Qué tan satisfecho estás con la atención que recibiste\?/);
      assert.deepEqual(checked(res.text), { csat: '4' });
      assert.deepEqual(await snapshotCounts(t.db), counts);
      assert.equal(res.headers['referrer-policy'], 'no-referrer');
      assert.equal(res.headers['cache-control'], 'no-store');
      assert.match(res.headers['content-security-policy'] ?? '', /script-src 'self'/);
    });

    it('asks the default questions in order, each scale labelled with words at both ends', async () => {
      const s = await sendSurvey(t, { customer: { email: 'order@example.org', locale: 'en' } });
      const html = (await request(t.app).get(`/s/${s.token}`)).text;
      const order = [...html.matchAll(/id="q-(\w+)"/g)].map((m) => m[1]);
      assert.deepEqual(order, ['csat', 'ces', 'nps', 'comment']);
      assert.match(html, /0 – Not at all likely/);
      assert.match(html, /10 – Extremely likely/);
      assert.match(html, /1 – Strongly disagree/);
      assert.match(html, /7 – Strongly agree/);
      assert.match(html, /<legend>[^<]*made it easy for me to handle my issue/);
      assert.equal((html.match(/type="radio" name="nps"/g) ?? []).length, 11);
    });

    it('ignores a one-click value out of range', async () => {
      const s = await sendSurvey(t);
      for (const q of ['csat=9', 'csat=abc', 'nps=11', 'ces=0', 'csat=-1']) {
        const res = await request(t.app).get(`/s/${s.token}?${q}`);
        assert.equal(res.status, 200);
        assert.deepEqual(checked(res.text), {}, q);
      }
    });

    it('records the answers on submit, redirects 303 to a thank-you page, and keeps an audit trail', async () => {
      const s = await sendSurvey(t, { customer: { email: 'submit@example.org', locale: 'en' } });
      const res = await post(s.token, 'csat=5&ces=6&nps=9&comment=Quick+and+kind&lang=en');
      assert.equal(res.status, 303);
      assert.equal(res.headers.location, `/s/${s.token}/thanks`);
      const row = await t.db('responses').where({ survey_id: s.surveyId }).first();
      assert.deepEqual([row.csat, row.ces, row.nps, row.comment], [5, 6, 9, 'Quick and kind']);
      assert.equal(row.interaction_id, s.interactionId);
      assert.equal(row.user_agent, 'TestBrowser/1.0');
      assert.equal(Number(row.first_submitted_at), Number(row.updated_at));
      const thanks = await request(t.app).get(res.headers.location as string);
      assert.equal(thanks.status, 200);
      assert.match(thanks.text, /Thank you!/);
      assert.match(thanks.text, /update your answers until \w+ \d{1,2}, \d{4}/);
      // Coming back shows the saved answers.
      assert.deepEqual(checked((await request(t.app).get(`/s/${s.token}`)).text), { csat: '5', ces: '6', nps: '9' });
    });

    it('changes answers on a second submit; a question left out keeps its earlier answer', async () => {
      const s = await sendSurvey(t);
      await post(s.token, 'csat=2&nps=3&comment=Slow');
      const first = await t.db('responses').where({ survey_id: s.surveyId }).first();
      t.clock.advance(60_000);
      try {
        assert.equal((await post(s.token, 'csat=4')).status, 303);
      } finally {
        t.clock.set(Date.now());
      }
      const second = await t.db('responses').where({ survey_id: s.surveyId }).first();
      assert.deepEqual([second.csat, second.nps, second.comment], [4, 3, 'Slow']);
      assert.equal(Number(second.first_submitted_at), Number(first.first_submitted_at));
      assert.ok(Number(second.updated_at) > Number(first.updated_at));
      assert.equal((await t.db('responses').where({ survey_id: s.surveyId })).length, 1);
      // An emptied comment box clears the comment.
      await post(s.token, 'comment=');
      assert.equal((await t.db('responses').where({ survey_id: s.surveyId }).first()).comment, null);
    });

    it('stores an empty submission as no response at all', async () => {
      const s = await sendSurvey(t);
      assert.equal((await post(s.token, 'comment=+++&lang=en')).status, 303);
      assert.equal(await t.db('responses').where({ survey_id: s.surveyId }).first(), undefined);
    });

    it('stores HTML in a comment as text and always shows it escaped', async () => {
      const s = await sendSurvey(t);
      const evil = `<script>alert("x")</script><img src=x onerror=alert(1)>`;
      await post(s.token, `comment=${encodeURIComponent(evil)}`);
      assert.equal((await t.db('responses').where({ survey_id: s.surveyId }).first()).comment, evil);
      const html = (await request(t.app).get(`/s/${s.token}`)).text;
      assert.ok(!html.includes(evil));
      assert.match(html, /&lt;script&gt;alert\(&#34;x&#34;\)&lt;\/script&gt;/);
    });

    describe('rejects invalid answers with the form again, status 422, storing nothing', () => {
      for (const [form, field] of [
        ['csat=6', 'csat'],
        ['csat=0', 'csat'],
        ['csat=abc', 'csat'],
        ['nps=-1', 'nps'],
        ['nps=10.5', 'nps'],
        ['nps=11', 'nps'],
        ['ces=0', 'ces'],
        ['ces=8', 'ces'],
        ['csat=1&csat=2', 'csat'],
        [`comment=${'x'.repeat(2001)}`, 'comment'],
        ['comment=a&comment=b', 'comment'],
      ] as const) {
        it(`${form.slice(0, 30)} → 422 naming ${field}`, async () => {
          const s = await sendSurvey(t, { customer: { email: `invalid-${field}@example.org`, locale: 'en' } });
          await post(s.token, 'csat=3&comment=before');
          const counts = await snapshotCounts(t.db);
          const before = await t.db('responses').where({ survey_id: s.surveyId }).first();
          const res = await post(s.token, form);
          assert.equal(res.status, 422);
          assert.match(res.text, /Please check the highlighted answers/);
          const error = field === 'comment' ? 'comment-error' : `${field}-error`;
          assert.match(res.text, new RegExp(`id="${error}"`));
          assert.match(res.text, field === 'comment' ? /aria-describedby="comment-hint comment-error"/ : new RegExp(`<fieldset id="q-${field}" aria-describedby="${field}-error">`));
          assert.deepEqual(await snapshotCounts(t.db), counts);
          assert.deepEqual(await t.db('responses').where({ survey_id: s.surveyId }).first(), before);
        });
      }

      it('counts a 2000-character comment with emoji as 2000 characters', async () => {
        const s = await sendSurvey(t);
        const res = await post(s.token, `comment=${encodeURIComponent('😀'.repeat(2000))}`);
        assert.equal(res.status, 303);
      });
    });

    it('answers 404 with a friendly localized page for an unknown or malformed token', async () => {
      for (const path of ['/s/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', '/s/short', '/s/%3Cscript%3E', '/s/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA/thanks']) {
        const res = await request(t.app).get(path).set('Accept-Language', 'id-ID,id;q=0.9,en;q=0.5');
        assert.equal(res.status, 404, path);
        assert.match(res.text, /Survei ini tidak ditemukan/);
        assert.match(res.text, /<html lang="id">/);
      }
      const posted = await post('AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', 'csat=5');
      assert.equal(posted.status, 404);
      // Not even valid percent-encoding: still the friendly page, with the token URL's headers.
      for (const path of ['/s/%E0%A4%A', '/s/%zz', '/u/%E0%A4%A']) {
        const res = await request(t.app).get(path).set('Accept-Language', 'id');
        assert.equal(res.status, 404, path);
        assert.match(res.text, /<html lang="id">/);
        assert.equal(res.headers['referrer-policy'], 'no-referrer', path);
        assert.equal(res.headers['cache-control'], 'no-store', path);
      }
      assert.equal((await request(t.app).post('/s/%E0%A4%A').type('form').send('csat=5')).status, 404);
    });

    it('answers a form it cannot read with a friendly page in the customer’s language, storing nothing', async () => {
      const s = await sendSurvey(t);
      const counts = await snapshotCounts(t.db);
      const tooMany = await request(t.app).post(`/s/${s.token}`).type('form').set('Accept-Language', 'id').send(Array.from({ length: 30 }, (_, i) => `f${i}=1`).join('&'));
      assert.equal(tooMany.status, 413); // body-parser's status for too many fields
      assert.match(tooMany.text, /<html lang="id">/);
      assert.match(tooMany.text, /Kami tidak dapat membaca jawaban Anda/);
      const tooLarge = await request(t.app).post(`/s/${s.token}`).type('form').send(`comment=${'x'.repeat(70 * 1024)}`);
      assert.equal(tooLarge.status, 413);
      assert.match(tooLarge.text, /We could not read your answers/);
      assert.equal(tooLarge.headers['referrer-policy'], 'no-referrer');
      // Not UTF-8, or not a form at all: the same page, not a thank-you for answers never read.
      const latin1 = await request(t.app).post(`/s/${s.token}`).set('Content-Type', 'application/x-www-form-urlencoded; charset=latin1').set('Accept-Language', 'id').send('csat=5');
      assert.equal(latin1.status, 415);
      assert.match(latin1.text, /Kami tidak dapat membaca jawaban Anda/);
      for (const [type, body] of [['application/json', '{"csat":5}'], ['text/plain', 'csat=5']]) {
        const res = await request(t.app).post(`/s/${s.token}`).set('Content-Type', type as string).send(body as string);
        assert.equal(res.status, 415, type);
        assert.match(res.text, /We could not read your answers/, type);
        assert.doesNotMatch(res.text, /JSON/, type);
      }
      assert.deepEqual(await snapshotCounts(t.db), counts);
    });

    it('sends no referrer from any answer under a token URL, whatever the method', async () => {
      const s = await sendSurvey(t);
      for (const method of ['options', 'put', 'delete', 'patch'] as const) {
        const res = await request(t.app)[method](`/s/${s.token}`);
        assert.ok(res.status < 500, `${method} answered ${res.status}`);
        assert.equal(res.headers['referrer-policy'], 'no-referrer', method);
      }
      assert.equal((await request(t.app).options(`/u/${s.token}`)).headers['referrer-policy'], 'no-referrer');
    });

    it('answers 410 once the survey has expired, before and after the expiry sweep', async () => {
      const s = await sendSurvey(t, { customer: { email: 'late@example.org', locale: 'en' } });
      t.clock.set(Date.now() + 31 * DAY);
      try {
        const counts = await snapshotCounts(t.db);
        const page = await request(t.app).get(`/s/${s.token}?csat=5`);
        assert.equal(page.status, 410);
        assert.match(page.text, /This survey has closed/);
        assert.equal((await post(s.token, 'csat=5')).status, 410);
        assert.deepEqual(await snapshotCounts(t.db), counts);
        assert.ok((await expireSurveys(t.db, t.clock())) >= 1);
        assert.equal((await t.db('surveys').where({ id: s.surveyId }).first()).status, 'expired');
        assert.equal((await request(t.app).get(`/s/${s.token}`)).status, 410);
        assert.equal((await request(t.app).get(`/s/${s.token}/thanks`)).status, 410);
      } finally {
        t.clock.set(Date.now());
      }
    });

    it('refuses a post from another site, and accepts the Origin: null that no-referrer pages send', async () => {
      const s = await sendSurvey(t);
      const counts = await snapshotCounts(t.db);
      const foreign = await request(t.app).post(`/s/${s.token}`).type('form').set('Origin', 'https://evil.example').set('Accept-Language', 'es').send('csat=1');
      assert.equal(foreign.status, 403);
      assert.match(foreign.text, /<html lang="es">/);
      assert.match(foreign.text, /Este formulario se envió desde otro sitio/);
      assert.deepEqual(await snapshotCounts(t.db), counts);
      const own = await request(t.app).post(`/s/${s.token}`).type('form').set('Origin', 'null').send('csat=1');
      assert.equal(own.status, 303);
      const base = await request(t.app).post(`/s/${s.token}`).type('form').set('Origin', 'http://rapport.test').send('csat=2');
      assert.equal(base.status, 303);
    });

    it('shows only the questions Settings ask for, in their order', async () => {
      await withSetting(t, 'survey.questions', ['nps', 'comment'], async () => {
        const s = await sendSurvey(t);
        const html = (await request(t.app).get(`/s/${s.token}?csat=5&nps=8`)).text;
        assert.deepEqual([...html.matchAll(/id="q-(\w+)"/g)].map((m) => m[1]), ['nps', 'comment']);
        assert.deepEqual(checked(html), { nps: '8' });
        // A posted answer to a question that is not asked is ignored.
        await post(s.token, 'nps=8&csat=1');
        const row = await t.db('responses').where({ survey_id: s.surveyId }).first();
        assert.deepEqual([row.nps, row.csat], [8, null]);
      });
    });

    it('never logs a survey token', async () => {
      const s = await sendSurvey(t);
      await request(t.app).get(`/s/${s.token}?csat=5`);
      await post(s.token, 'csat=5');
      await request(t.app).get(`/s/${s.token}/thanks`);
      await request(t.app).get(`/u/${s.token}`);
      // Express also routes these to the survey (case-insensitive paths, dot segments), or carries the link along.
      await request(t.app).get(`/S/${s.token}`);
      await request(t.app).get(`//s/${s.token}`);
      await request(t.app).get(`/x/../s/${s.token}`);
      await request(t.app).get(`/U/${s.token}`);
      await request(t.app).get(`/login?next=/s/${s.token}`);
      await request(t.app).get(`/login?next=${encodeURIComponent(`/s/${s.token}?csat=5`)}`);
      assert.ok(!t.logs().includes(s.token), 'a token reached the logs');
      assert.match(t.logs(), /"url":"\/s\/\[token\]\?csat=5"/);
    });

    it('serves the page styles from public/ with caching headers', async () => {
      const css = await request(t.app).get('/assets/survey.css');
      assert.equal(css.status, 200);
      assert.match(css.headers['cache-control'] ?? '', /max-age=86400/);
      const brand = await request(t.app).get('/brand.css');
      assert.match(brand.text, /--accent: #2453a6/);
    });
  });
}

describe('survey pages rate limit', () => {
  it('answers 429 with a friendly page and Retry-After once an IP exceeds PUBLIC_RATE_LIMIT_PER_MINUTE', async () => {
    const t = await startTestApp('sqlite', { SURVEY_DELAY_SECONDS: '0', PUBLIC_RATE_LIMIT_PER_MINUTE: '3' });
    try {
      const s = await sendSurvey(t);
      for (let i = 0; i < 3; i++) assert.equal((await request(t.app).get(`/s/${s.token}`)).status, 200);
      const limited = await request(t.app).get(`/s/${s.token}`).set('Accept-Language', 'es');
      assert.equal(limited.status, 429);
      assert.ok(Number(limited.headers['retry-after']) >= 1);
      assert.match(limited.text, /Espera un momento/);
    } finally {
      await t.close();
    }
  });
});
