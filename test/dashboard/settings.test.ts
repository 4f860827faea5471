import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import request from 'supertest';
import { postTrigger, startTestApp, type TestApp } from '../support/app';
import { ENGINES } from '../support/database';
import { addUser, csrfOf, PASSWORD, signedIn } from '../support/dashboard';
import { accountRows, anonymous, postForm, surveySettingsRows } from '../support/dashboard-admin';
import { sendSurvey } from '../support/surveys';
import { buildTrigger } from '../support/triggers';

const GET_ROUTES = ['/settings', '/settings/api-keys', '/settings/users', '/settings/api-keys/00000000-0000-4000-8000-000000000000/revoke'];
const POST_ROUTES = [
  '/settings/questions',
  '/settings/policy',
  '/settings/branding',
  '/settings/questions/reset',
  '/settings/policy/reset',
  '/settings/branding/reset',
  '/settings/api-keys',
  '/settings/api-keys/00000000-0000-4000-8000-000000000000/revoke',
  '/settings/users',
  '/settings/users/00000000-0000-4000-8000-000000000000/disable',
  '/settings/users/00000000-0000-4000-8000-000000000000/enable',
  '/settings/users/00000000-0000-4000-8000-000000000000/role',
];

const GOOD_POLICY = { delay_seconds: '3600', throttle_days: '0', expiry_days: '14', max_age_days: '2' };
const GOOD_BRANDING = { company_name: 'Zeta <b>Corp</b>', sender_name: 'Zeta Care', accent_color: '#AA3300', logo_url: 'https://cdn.zeta.test/logo.png' };

for (const engine of ENGINES) {
  describe(`dashboard settings (${engine})`, () => {
    let t: TestApp;
    let admin: Awaited<ReturnType<typeof signedIn>>;
    let lead: Awaited<ReturnType<typeof signedIn>>;

    before(async () => {
      t = await startTestApp(engine, { SURVEY_DELAY_SECONDS: '0', SURVEY_THROTTLE_DAYS: '0', MAIL_FROM: 'Acme Support <csat@acme.test>' });
      admin = await signedIn(t, 'admin');
      lead = await signedIn(t, 'lead');
    });
    after(async () => {
      await t.close();
    });

    describe('access', () => {
      it('sends anonymous visitors to /login on every settings page and form', async () => {
        for (const path of GET_ROUTES) {
          const res = await request(t.app).get(path);
          assert.equal(res.status, 303, path);
          assert.match(res.headers.location ?? '', /^\/login/, path);
        }
        const anon = await anonymous(t);
        for (const path of POST_ROUTES) {
          const res = await anon.agent.post(path).type('form').send({ _csrf: anon.csrf });
          assert.equal(res.status, 303, path);
          assert.equal(res.headers.location, '/login', path);
        }
      });

      it('refuses leads with 403 on every settings page and form, changing nothing', async () => {
        const before = { settings: await surveySettingsRows(t), accounts: await accountRows(t) };
        const csrf = await lead.csrf();
        for (const path of GET_ROUTES) assert.equal((await lead.agent.get(path)).status, 403, path);
        for (const path of POST_ROUTES) {
          const res = await lead.agent.post(path).type('form').send({ _csrf: csrf, ...GOOD_POLICY, ...GOOD_BRANDING, q1: 'nps', name: 'x', role: 'admin' });
          assert.equal(res.status, 403, path);
        }
        assert.deepEqual({ settings: await surveySettingsRows(t), accounts: await accountRows(t) }, before);
      });

      it('opens every settings page for an admin, uncached', async () => {
        for (const path of ['/settings', '/settings/api-keys', '/settings/users']) {
          const res = await admin.agent.get(path);
          assert.equal(res.status, 200, path);
          assert.equal(res.headers['cache-control'], 'no-store');
          assert.match(res.text, /<nav class="tabs" aria-label="Settings">/);
        }
      });

      it('refuses posts without or with a wrong CSRF token (403) and stores nothing', async () => {
        const before = { settings: await surveySettingsRows(t), accounts: await accountRows(t) };
        for (const path of POST_ROUTES) {
          assert.equal((await admin.agent.post(path).type('form').send({ ...GOOD_POLICY, q1: 'nps' })).status, 403, `${path} without a token`);
          assert.equal((await admin.agent.post(path).type('form').send({ _csrf: 'forged', ...GOOD_POLICY, q1: 'nps' })).status, 403, `${path} with a wrong token`);
        }
        // A token of another session is wrong too.
        const other = await lead.csrf();
        assert.equal((await admin.agent.post('/settings/policy').type('form').send({ _csrf: other, ...GOOD_POLICY })).status, 403);
        assert.deepEqual({ settings: await surveySettingsRows(t), accounts: await accountRows(t) }, before);
      });
    });

    describe('survey settings', () => {
      const rejected: [string, string, Record<string, string | string[]>, string][] = [
        ['questions', 'no question at all', { q1: '', q2: '', q3: '', q4: '' }, 'q1'],
        ['questions', 'only the comment', { q1: 'comment' }, 'q1'],
        ['questions', 'the comment first', { q1: 'comment', q2: 'csat' }, 'q1'],
        ['questions', 'a question twice', { q1: 'csat', q2: 'csat' }, 'q2'],
        ['questions', 'an unknown question', { q1: 'csat', q2: 'mood' }, 'q2'],
        ['questions', 'a slot given twice', { q1: ['csat', 'nps'] }, 'q1'],
        ['policy', 'a word', { ...GOOD_POLICY, delay_seconds: 'soon' }, 'delay_seconds'],
        ['policy', 'an empty field', { ...GOOD_POLICY, throttle_days: '' }, 'throttle_days'],
        ['policy', 'a negative number', { ...GOOD_POLICY, throttle_days: '-1' }, 'throttle_days'],
        ['policy', 'a decimal', { ...GOOD_POLICY, delay_seconds: '1.5' }, 'delay_seconds'],
        ['policy', 'an exponent', { ...GOOD_POLICY, delay_seconds: '1e3' }, 'delay_seconds'],
        ['policy', 'a delay over 30 days', { ...GOOD_POLICY, delay_seconds: '2592001' }, 'delay_seconds'],
        ['policy', 'an expiry of 0 days', { ...GOOD_POLICY, expiry_days: '0' }, 'expiry_days'],
        ['policy', 'a huge max age', { ...GOOD_POLICY, max_age_days: '99999999999' }, 'max_age_days'],
        ['policy', 'a missing field', { delay_seconds: '0', throttle_days: '0', expiry_days: '3' }, 'max_age_days'],
        ['policy', 'a field given twice', { ...GOOD_POLICY, expiry_days: ['3', '4'] }, 'expiry_days'],
        ['branding', 'an empty company name', { ...GOOD_BRANDING, company_name: '  ' }, 'company_name'],
        ['branding', 'a company name over 100 characters', { ...GOOD_BRANDING, company_name: 'x'.repeat(101) }, 'company_name'],
        ['branding', 'a sender name with a line break', { ...GOOD_BRANDING, sender_name: 'Zeta\r\nBcc: x@y.test' }, 'sender_name'],
        ['branding', 'a named colour', { ...GOOD_BRANDING, accent_color: 'red' }, 'accent_color'],
        ['branding', 'a short colour', { ...GOOD_BRANDING, accent_color: '#abc' }, 'accent_color'],
        ['branding', 'an http logo', { ...GOOD_BRANDING, logo_url: 'http://cdn.zeta.test/logo.png' }, 'logo_url'],
        ['branding', 'a javascript: logo', { ...GOOD_BRANDING, logo_url: 'javascript:alert(1)' }, 'logo_url'],
        ['branding', 'a logo URL with a quote', { ...GOOD_BRANDING, logo_url: 'https://x.test/a"onerror="alert(1)' }, 'logo_url'],
        ['branding', 'a logo URL over 500 characters', { ...GOOD_BRANDING, logo_url: `https://x.test/${'a'.repeat(500)}` }, 'logo_url'],
        ['branding', 'a company name given twice', { ...GOOD_BRANDING, company_name: ['A', 'B'] }, 'company_name'],
      ];
      for (const [section, what, fields, field] of rejected) {
        it(`refuses ${what} (${section}) with 422, a message tied to the field, and stores nothing`, async () => {
          const before = await surveySettingsRows(t);
          const res = await postForm(admin.agent, `/settings/${section}`, fields);
          assert.equal(res.status, 422);
          assert.match(res.text, new RegExp(`<p class="field-error" id="${field}-error">`));
          assert.match(res.text, new RegExp(`id="${field}"[^>]*aria-describedby="[^"]*${field}-error`));
          assert.match(res.text, /Nothing was saved/);
          assert.deepEqual(await surveySettingsRows(t), before);
        });
      }

      it('shows the environment defaults beside the values in force', async () => {
        const res = await admin.agent.get('/settings').expect(200);
        assert.match(res.text, /Default \(<code>SURVEY_DELAY_SECONDS<\/code>\): 0/);
        assert.match(res.text, /Default \(<code>SURVEY_EXPIRY_DAYS<\/code>\): 30/);
        assert.match(res.text, /Default: Acme Support/);
        assert.match(res.text, /Default order: CSAT, CES, NPS, COMMENT/);
      });

      it('saves the questions; the next survey email embeds the new first question', async () => {
        const res = await postForm(admin.agent, '/settings/questions', { q1: 'nps', q2: '', q3: 'comment', q4: '' });
        assert.equal(res.status, 303);
        assert.equal(res.headers.location, '/settings?saved=questions#questions');
        assert.deepEqual(await surveySettingsRows(t).then((r) => JSON.parse(r['survey.questions'] ?? 'null')), ['nps', 'comment']);
        const page = await admin.agent.get('/settings?saved=questions').expect(200);
        assert.match(page.text, /Survey questions saved/);
        assert.match(page.text, /<select id="q1" name="q1"[^>]*>[\s\S]*?<option value="nps" selected>/);

        const survey = await sendSurvey(t, { customer: { email: 'q@example.org', locale: 'en' } });
        const row = await t.db('outbox_messages').where({ survey_id: survey.surveyId }).first('text', 'html');
        assert.match(row.text, new RegExp(`/s/${survey.token}\\?nps=10`));
        assert.doesNotMatch(row.text, /\?csat=/);

        assert.equal((await postForm(admin.agent, '/settings/questions/reset')).status, 303);
        assert.equal((await surveySettingsRows(t))['survey.questions'], undefined);
        const next = await sendSurvey(t, { customer: { email: 'q2@example.org', locale: 'en' } });
        assert.match((await t.db('outbox_messages').where({ survey_id: next.surveyId }).first('text')).text, /\?csat=5/);
      });

      it('saves the sending rules; the next trigger is scheduled with the new delay', async () => {
        const res = await postForm(admin.agent, '/settings/policy', { ...GOOD_POLICY, delay_seconds: ' 3600 ' });
        assert.equal(res.status, 303);
        assert.deepEqual(JSON.parse((await surveySettingsRows(t))['survey.policy'] ?? 'null'), { delaySeconds: 3600, throttleDays: 0, expiryDays: 14, maxAgeDays: 2 });
        const trigger = buildTrigger({ customer: { email: 'policy@example.org' } }, t.clock());
        const posted = await postTrigger(t, trigger);
        assert.equal(posted.status, 201);
        assert.equal(Date.parse(posted.body.survey.send_at), Date.parse(String(trigger.closed_at)) + 3_600_000);
        const page = await admin.agent.get('/settings').expect(200);
        assert.match(page.text, /id="delay_seconds"[^>]*value="3600"/);
        assert.match(page.text, /Default \(<code>SURVEY_DELAY_SECONDS<\/code>\): 0 · <strong class="changed">changed/);

        assert.equal((await postForm(admin.agent, '/settings/policy/reset')).status, 303);
        const again = await postTrigger(t, buildTrigger({ customer: { email: 'policy2@example.org' } }, t.clock()));
        assert.ok(Date.parse(again.body.survey.send_at) <= Date.now() + 1000, 'back to the environment delay of 0');
      });

      it('saves the branding; the survey page shows it, escaped', async () => {
        const res = await postForm(admin.agent, '/settings/branding', GOOD_BRANDING);
        assert.equal(res.status, 303);
        assert.deepEqual(JSON.parse((await surveySettingsRows(t)).branding ?? 'null'), {
          companyName: 'Zeta <b>Corp</b>',
          senderName: 'Zeta Care',
          accentColor: '#aa3300',
          logoUrl: 'https://cdn.zeta.test/logo.png',
        });
        const survey = await sendSurvey(t, { customer: { email: 'brand@example.org', locale: 'en' } });
        const page = await request(t.app).get(`/s/${survey.token}`).expect(200);
        assert.match(page.text, /Zeta &lt;b&gt;Corp&lt;\/b&gt;/);
        assert.doesNotMatch(page.text, /<b>Corp<\/b>/);
        const settings = await admin.agent.get('/settings').expect(200);
        assert.match(settings.text, /value="Zeta &lt;b&gt;Corp&lt;\/b&gt;"/);

        // An empty logo URL means no logo, stored as null.
        assert.equal((await postForm(admin.agent, '/settings/branding', { ...GOOD_BRANDING, logo_url: '' })).status, 303);
        assert.equal(JSON.parse((await surveySettingsRows(t)).branding ?? '{}').logoUrl, null);
        assert.equal((await postForm(admin.agent, '/settings/branding/reset')).status, 303);
        assert.equal((await surveySettingsRows(t)).branding, undefined);
      });
    });

    describe('API keys', () => {
      it('shows a new key once, on the answer to the form; it authenticates the API until revoked, then 401', async () => {
        const created = await postForm(admin.agent, '/settings/api-keys', { name: 'Help desk <prod>' });
        assert.equal(created.status, 201);
        assert.equal(created.headers['cache-control'], 'no-store');
        assert.equal(created.headers.location, undefined);
        const key = /value="(rk_[A-Za-z0-9_-]+)"/.exec(created.text)?.[1];
        assert.ok(key, 'the page shows the key');
        assert.match(created.text, /Help desk &lt;prod&gt;/);
        const row = await t.db('api_keys').where({ name: 'Help desk <prod>' }).first('id', 'prefix');
        assert.ok(row);
        assert.equal(JSON.stringify(await t.db('api_keys').where({ id: row.id }).first()).includes(key), false, 'only a hash is stored');

        const list = await admin.agent.get('/settings/api-keys').expect(200);
        assert.ok(!list.text.includes(key), 'the list never shows the key');
        assert.match(list.text, new RegExp(`<code>${row.prefix}…</code>`));
        assert.ok(!t.logs().includes(key), 'the key is never logged');

        assert.equal((await postTrigger(t, buildTrigger({ survey: { send: false } }, t.clock()), key)).status, 201);
        const confirm = await admin.agent.get(`/settings/api-keys/${row.id}/revoke`).expect(200);
        assert.match(confirm.text, /Revoke the key “Help desk &lt;prod&gt;”\?/);
        const revoked = await admin.agent.post(`/settings/api-keys/${row.id}/revoke`).type('form').send({ _csrf: csrfOf(confirm.text) });
        assert.equal(revoked.status, 303);
        assert.equal((await postTrigger(t, buildTrigger({ survey: { send: false } }, t.clock()), key)).status, 401);
        const after = await admin.agent.get('/settings/api-keys?revoked=1').expect(200);
        assert.match(after.text, /The key was revoked/);
        assert.equal((await postForm(admin.agent, `/settings/api-keys/${row.id}/revoke`)).status, 409);
        assert.equal((await admin.agent.get(`/settings/api-keys/${row.id}/revoke`)).status, 409);
      });

      for (const [what, name] of [
        ['an empty name', '   '],
        ['a name over 100 characters', 'k'.repeat(101)],
        ['a name given twice', ['a', 'b']],
      ] as const) {
        it(`refuses ${what} with 422 and creates no key`, async () => {
          const before = await accountRows(t);
          const res = await postForm(admin.agent, '/settings/api-keys', { name: name as string | string[] });
          assert.equal(res.status, 422);
          assert.match(res.text, /id="name"[^>]*aria-describedby="name-error name-hint"/);
          assert.deepEqual(await accountRows(t), before);
        });
      }

      it('answers 404 for an unknown or malformed key id', async () => {
        for (const id of ['00000000-0000-4000-8000-000000000000', 'not-a-uuid', "1' or '1'='1"]) {
          assert.equal((await admin.agent.get(`/settings/api-keys/${encodeURIComponent(id)}/revoke`)).status, 404, id);
          assert.equal((await postForm(admin.agent, `/settings/api-keys/${encodeURIComponent(id)}/revoke`)).status, 404, id);
        }
      });
    });

    describe('users', () => {
      it('creates a user who can then sign in; a duplicate email is refused with 422', async () => {
        const res = await postForm(admin.agent, '/settings/users', { email: 'New.Lead@Example.com', name: 'New <Lead>', role: 'lead', password: 'a long enough password' });
        assert.equal(res.status, 303);
        const row = await t.db('users').where({ email: 'new.lead@example.com' }).first('role', 'name', 'password_hash');
        assert.equal(row.role, 'lead');
        assert.match(row.password_hash, /^\$argon2id\$/);
        const list = await admin.agent.get('/settings/users?done=created').expect(200);
        assert.match(list.text, /User created/);
        assert.match(list.text, /New &lt;Lead&gt;/);

        const agent = request.agent(t.app);
        const login = await agent.get('/login');
        await agent.post('/login').type('form').send({ _csrf: csrfOf(login.text), email: 'new.lead@example.com', password: 'a long enough password' }).expect(303);
        assert.equal((await agent.get('/outbox')).status, 200);
        assert.ok(!t.logs().includes('a long enough password'), 'the password is never logged');

        const before = await accountRows(t);
        const dup = await postForm(admin.agent, '/settings/users', { email: 'new.lead@EXAMPLE.com', role: 'admin', password: 'another long password' });
        assert.equal(dup.status, 422);
        assert.match(dup.text, /id="email-error">A user with this email already exists/);
        assert.deepEqual(await accountRows(t), before);
      });

      const good = { email: 'someone@example.com', name: 'Someone', role: 'lead', password: 'a long enough password' };
      for (const [what, fields, field] of [
        ['an invalid email', { ...good, email: 'not an email' }, 'email'],
        ['a short password', { ...good, password: 'short' }, 'password'],
        ['an unknown role', { ...good, role: 'owner' }, 'role'],
        ['a name over 200 characters', { ...good, name: 'n'.repeat(201) }, 'name'],
        ['an email given twice', { ...good, email: ['a@example.com', 'b@example.com'] }, 'email'],
        ['no password', { email: good.email, role: 'lead' }, 'password'],
      ] as const) {
        it(`refuses ${what} with 422 and creates no user`, async () => {
          const before = await accountRows(t);
          const res = await postForm(admin.agent, '/settings/users', fields as Record<string, string | string[]>);
          assert.equal(res.status, 422);
          assert.match(res.text, new RegExp(`id="${field}-error"`));
          assert.deepEqual(await accountRows(t), before);
        });
      }

      it("ends a disabled user's sessions at once; enabled again, they can sign in", async () => {
        const victim = await signedIn(t, 'lead');
        assert.equal((await victim.agent.get('/outbox')).status, 200);
        assert.equal((await postForm(admin.agent, `/settings/users/${victim.id}/disable`)).status, 303);
        const res = await victim.agent.get('/outbox');
        assert.equal(res.status, 303);
        assert.match(res.headers.location ?? '', /^\/login/);
        assert.equal(Number((await t.db('sessions').where({ user_id: victim.id }).count({ n: '*' }).first())?.n), 0);
        const stranger = request.agent(t.app);
        const login = await stranger.get('/login');
        const refused = await stranger.post('/login').type('form').send({ _csrf: csrfOf(login.text), email: victim.email, password: PASSWORD });
        assert.equal(refused.status, 401);

        assert.equal((await postForm(admin.agent, `/settings/users/${victim.id}/enable`)).status, 303);
        const back = request.agent(t.app);
        const page = await back.get('/login');
        await back.post('/login').type('form').send({ _csrf: csrfOf(page.text), email: victim.email, password: PASSWORD }).expect(303);
      });

      it('changes a role, which takes effect on the next request', async () => {
        const user = await signedIn(t, 'lead');
        assert.equal((await user.agent.get('/settings')).status, 403);
        assert.equal((await postForm(admin.agent, `/settings/users/${user.id}/role`, { role: 'admin' })).status, 303);
        assert.equal((await user.agent.get('/settings')).status, 200);
        assert.equal((await postForm(admin.agent, `/settings/users/${user.id}/role`, { role: 'owner' })).status, 422);
        assert.equal((await t.db('users').where({ id: user.id }).first('role')).role, 'admin');
      });

      it('answers 404 for an unknown or malformed user id', async () => {
        for (const id of ['00000000-0000-4000-8000-000000000000', 'nope']) {
          for (const action of ['disable', 'enable', 'role']) assert.equal((await postForm(admin.agent, `/settings/users/${id}/${action}`, { role: 'lead' })).status, 404, `${action} ${id}`);
        }
      });
    });
  });

  describe(`the last active admin (${engine})`, () => {
    let t: TestApp;
    before(async () => {
      t = await startTestApp(engine);
    });
    after(async () => {
      await t.close();
    });

    it('cannot be disabled or demoted, and no admin can disable themself', async () => {
      const me = await signedIn(t, 'admin');
      const before = await accountRows(t);
      const self = await postForm(me.agent, `/settings/users/${me.id}/disable`);
      assert.equal(self.status, 409);
      assert.match(self.text, /You cannot disable your own account/);
      const demote = await postForm(me.agent, `/settings/users/${me.id}/role`, { role: 'lead' });
      assert.equal(demote.status, 409);
      assert.match(demote.text, /last active admin/);
      assert.deepEqual(await accountRows(t), before);

      const other = await addUser(t, 'admin');
      assert.equal((await postForm(me.agent, `/settings/users/${other.id}/disable`)).status, 303);
      // The other admin is disabled, so this one is the last active admin again.
      assert.equal((await postForm(me.agent, `/settings/users/${me.id}/role`, { role: 'lead' })).status, 409);
      assert.equal((await postForm(me.agent, `/settings/users/${other.id}/enable`)).status, 303);
      assert.equal((await postForm(me.agent, `/settings/users/${me.id}/role`, { role: 'lead' })).status, 303);
      assert.equal((await me.agent.get('/settings')).status, 403, 'a demoted admin loses Settings at once');
      assert.equal((await t.db('users').where({ role: 'admin' }).whereNull('disabled_at').count({ n: '*' }).first())?.n, 1);
    });
  });
}
