import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import request from 'supertest';
import { hashSecret } from '../../src/accounts/secrets';
import { SETUP_TOKEN_SETTING } from '../../src/accounts/first-run-setup';
import { ENGINES } from '../support/database';
import { startTestApp, type TestApp } from '../support/app';
import { addUser, csrfOf, hiddenField, PASSWORD, signedIn } from '../support/dashboard';

const PAGES = ['/', '/agents', '/teams', '/channels', '/agents/a-1', '/responses', '/responses?queue=1', '/responses.csv', '/agents.csv', '/teams.csv', '/channels.csv', '/outbox'];

for (const engine of ENGINES) {
  describe(`dashboard accounts and access (${engine})`, () => {
    let t: TestApp;
    before(async () => {
      t = await startTestApp(engine, { PUBLIC_RATE_LIMIT_PER_MINUTE: '0' });
    });
    after(async () => t.close());

    const openSetup = async (): Promise<string> => {
      const token = `setup-token-${engine}-${Date.now()}`;
      await t.db('settings').insert({ key: SETUP_TOKEN_SETTING, value: JSON.stringify(hashSecret(token)), updated_at: Date.now() }).onConflict('key').merge();
      return token;
    };

    it('creates the first admin once through the setup link, signed in at once', async () => {
      const token = await openSetup();
      await request(t.app).get('/setup?token=wrong').expect(404);
      const agent = request.agent(t.app);
      const form = await agent.get(`/setup?token=${token}`).expect(200);
      assert.match(form.text, /Create the first admin/);
      const short = await agent.post('/setup').type('form').send({ _csrf: csrfOf(form.text), token, email: 'boss@example.com', password: 'short', password_confirm: 'short' }).expect(422);
      assert.match(short.text, /at least 12 characters/);
      assert.equal(await t.db('users').count({ n: '*' }).first().then((r) => Number(r?.n)), 0, 'a rejected setup stores nothing');
      const done = await agent.post('/setup').type('form').send({ _csrf: csrfOf(form.text), token, email: 'Boss@Example.com', name: 'Boss', password: PASSWORD, password_confirm: PASSWORD }).expect(303);
      assert.equal(done.headers.location, '/');
      const home = await agent.get('/').expect(200);
      assert.match(home.text, /boss · admin|Boss · admin/);
      const user = await t.db('users').where({ email: 'boss@example.com' }).first('role', 'password_hash');
      assert.equal(user?.role, 'admin');
      assert.match(String(user?.password_hash), /^\$argon2id\$/);
      // Single use: the token is gone, and a second visit finds setup closed.
      await request(t.app).get(`/setup?token=${token}`).expect(404);
      const again = request.agent(t.app);
      const page = await again.get('/login').expect(200);
      await again.post('/setup').type('form').send({ _csrf: csrfOf(page.text), token, email: 'evil@example.com', password: PASSWORD, password_confirm: PASSWORD }).expect(404);
      assert.equal(await t.db('users').where({ email: 'evil@example.com' }).first('id'), undefined);
    });

    it('lets only one of two simultaneous setup posts create an admin', async () => {
      const token = await openSetup();
      const post = async (email: string) => {
        const agent = request.agent(t.app);
        const form = await agent.get('/login').expect(200);
        return agent.post('/setup').type('form').send({ _csrf: csrfOf(form.text), token, email, password: PASSWORD, password_confirm: PASSWORD });
      };
      await t.db('users').delete();
      const [a, b] = await Promise.all([post('first@example.com'), post('second@example.com')]);
      assert.deepEqual([a.status, b.status].sort(), [303, 404]);
      assert.equal(Number((await t.db('users').count({ n: '*' }).first())?.n), 1);
      // Setup is over for good: the token is gone even though both posts carried it.
      assert.equal(await t.db('settings').where({ key: SETUP_TOKEN_SETTING }).first('key'), undefined);
    });

    it('answers a request carrying a NUL byte with a friendly 400, signed in or not', async () => {
      const user = await addUser(t, 'lead');
      const agent = request.agent(t.app);
      const page = await agent.get('/login').expect(200);
      await agent.post('/login').type('form').send({ _csrf: csrfOf(page.text), email: `${user.email}\u0000`, password: PASSWORD }).expect(400);
      const { agent: lead } = await signedIn(t, 'lead');
      for (const path of ['/agents/%00', '/responses?q=a%00b', '/responses.csv?q=%00', '/?agent=%00']) await lead.get(path).expect(400);
    });

    it('refuses an account after ten failed sign-ins (429), even with the right password', async () => {
      const user = await addUser(t, 'lead');
      const agent = request.agent(t.app);
      const page = await agent.get('/login').expect(200);
      const attempt = (password: string) => agent.post('/login').type('form').send({ _csrf: csrfOf(page.text), email: user.email, password });
      for (let i = 0; i < 10; i++) await attempt('wrong password!').expect(401);
      await attempt(PASSWORD).expect(429);
      const other = await addUser(t, 'lead');
      await agent.post('/login').type('form').send({ _csrf: csrfOf(page.text), email: other.email, password: PASSWORD }).expect(303);
    });

    it('signs in with the right password, and answers 401 with the form for a wrong one or an unknown email', async () => {
      const user = await addUser(t, 'lead');
      const agent = request.agent(t.app);
      const page = await agent.get('/login').expect(200);
      const wrong = await agent.post('/login').type('form').send({ _csrf: csrfOf(page.text), email: user.email, password: 'not the password' }).expect(401);
      assert.match(wrong.text, /do not match/);
      assert.match(wrong.text, new RegExp(`value="${user.email}"`));
      const unknown = await agent.post('/login').type('form').send({ _csrf: csrfOf(page.text), email: 'nobody@example.com', password: PASSWORD }).expect(401);
      assert.match(unknown.text, /do not match/);
      const ok = await agent.post('/login').type('form').send({ _csrf: csrfOf(page.text), email: user.email.toUpperCase(), password: PASSWORD }).expect(303);
      assert.equal(ok.headers.location, '/');
      const cookie = String(ok.headers['set-cookie']).split(/,(?=\s*\w+=)/).find((c) => c.trim().startsWith('rapport_session=')) ?? '';
      assert.match(cookie, /HttpOnly/i);
      assert.match(cookie, /SameSite=Lax/i);
      assert.doesNotMatch(cookie, /Secure/i, 'plain http BASE_URL: no Secure flag');
      await agent.get('/').expect(200);
      assert.doesNotMatch(t.logs(), new RegExp(PASSWORD), 'passwords never reach the logs');
    });

    it('returns to the page asked for after login, but never to another site', async () => {
      const user = await addUser(t, 'lead');
      const anon = await request(t.app).get('/agents?from=2026-01-01').expect(303);
      assert.equal(anon.headers.location, '/login?next=%2Fagents%3Ffrom%3D2026-01-01');
      for (const [next, expected] of [['/agents?from=2026-01-01', '/agents?from=2026-01-01'], ['//evil.example/x', '/'], ['https://evil.example', '/']] as const) {
        const agent = request.agent(t.app);
        const page = await agent.get(`/login?next=${encodeURIComponent(next)}`).expect(200);
        assert.equal(hiddenField(page.text, 'next'), expected);
        const res = await agent.post('/login').type('form').send({ _csrf: csrfOf(page.text), next, email: user.email, password: PASSWORD }).expect(303);
        assert.equal(res.headers.location, expected);
      }
    });

    it('ends the session on the server at logout: the old cookie opens nothing', async () => {
      const user = await addUser(t, 'lead');
      const login = await request(t.app).get('/login').expect(200);
      const csrfCookie = /rapport_csrf=[^;]+/.exec(String(login.headers['set-cookie']))?.[0] ?? '';
      const signIn = await request(t.app).post('/login').set('Cookie', csrfCookie).type('form').send({ _csrf: csrfOf(login.text), email: user.email, password: PASSWORD }).expect(303);
      const sessionCookie = /rapport_session=[^;]+/.exec(String(signIn.headers['set-cookie']))?.[0] ?? '';
      assert.ok(sessionCookie.length > 60, 'a session cookie was set');
      const cookies = `${csrfCookie}; ${sessionCookie}`;
      const home = await request(t.app).get('/').set('Cookie', cookies).expect(200);
      await request(t.app).post('/logout').set('Cookie', cookies).type('form').send({ _csrf: csrfOf(home.text) }).expect(303);
      const replay = await request(t.app).get('/').set('Cookie', cookies).expect(303);
      assert.match(String(replay.headers.location), /^\/login/);
      assert.equal(await t.db('sessions').where({ user_id: user.id }).first('id_hash'), undefined, 'the session row is gone');
    });

    it('refuses posts without the form token, with a wrong one, or from another origin (403), changing nothing', async () => {
      const user = await addUser(t, 'lead');
      const fresh = request.agent(t.app);
      await fresh.post('/login').type('form').send({ email: user.email, password: PASSWORD }).expect(403);
      const page = await fresh.get('/login').expect(200);
      await fresh.post('/login').type('form').send({ _csrf: 'forged', email: user.email, password: PASSWORD }).expect(403);
      await fresh.post('/login').type('form').set('Origin', 'https://evil.example').send({ _csrf: csrfOf(page.text), email: user.email, password: PASSWORD }).expect(403);
      // With no Origin header, the Referer's origin counts.
      await fresh.post('/login').type('form').set('Referer', 'https://evil.example/page').send({ _csrf: csrfOf(page.text), email: user.email, password: PASSWORD }).expect(403);
      // A token from another browser's cookie does not fit this one.
      const other = await request(t.app).get('/login');
      await fresh.post('/login').type('form').send({ _csrf: csrfOf(other.text), email: user.email, password: PASSWORD }).expect(403);
      await fresh.get('/').expect(303);

      const { agent } = await signedIn(t, 'lead');
      await agent.post('/logout').type('form').send({}).expect(403);
      await agent.get('/').expect(200);
      const before = await t.db('follow_ups').count({ n: '*' }).first();
      await agent.post('/responses/00000000-0000-4000-8000-000000000000/follow-up').type('form').send({ status: 'closed' }).expect(403);
      assert.deepEqual(await t.db('follow_ups').count({ n: '*' }).first(), before);
    });

    it('sends anonymous visitors of every page to the login page', async () => {
      for (const path of [...PAGES, '/settings', '/settings/users']) {
        const res = await request(t.app).get(path).expect(303);
        assert.match(String(res.headers.location), /^\/login\?next=/, path);
      }
      await request(t.app).post('/responses/00000000-0000-4000-8000-000000000000/follow-up').type('form').send({}).expect(403);
      await request(t.app).get('/no-such-page').expect(404);
    });

    it('lets a lead see every report page but not the settings (403), and an admin everything', async () => {
      const lead = await signedIn(t, 'lead');
      for (const path of PAGES) {
        const res = await lead.agent.get(path);
        assert.ok(res.status === 200 || (path === '/agents/a-1' && res.status === 404), `${path} → ${res.status}`);
      }
      const forbidden = await lead.agent.get('/settings').expect(403);
      assert.match(forbidden.text, /Admins only/);
      assert.doesNotMatch((await lead.agent.get('/').expect(200)).text, /href="\/settings"/, 'the lead has no settings link');
      const admin = await signedIn(t, 'admin');
      await admin.agent.get('/settings').expect(200);
      assert.match((await admin.agent.get('/').expect(200)).text, /href="\/settings"/);
    });

    it('stops a disabled user at once', async () => {
      const { agent, id } = await signedIn(t, 'lead');
      await agent.get('/').expect(200);
      await t.db('users').where({ id }).update({ disabled_at: Date.now() });
      await agent.get('/').expect(303);
    });

    it('sends security headers and no-store on dashboard pages', async () => {
      const { agent } = await signedIn(t, 'lead');
      const res = await agent.get('/').expect(200);
      assert.match(String(res.headers['content-security-policy']), /frame-ancestors 'none'/);
      assert.doesNotMatch(String(res.headers['content-security-policy']), /unsafe-inline/);
      assert.equal(res.headers['x-content-type-options'], 'nosniff');
      assert.equal(res.headers['referrer-policy'], 'same-origin');
      assert.equal(res.headers['cache-control'], 'no-store');
      assert.equal(res.headers['x-powered-by'], undefined);
    });
  });
}

describe('dashboard login limits and https cookies', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp('sqlite', { PUBLIC_RATE_LIMIT_PER_MINUTE: '5', BASE_URL: 'https://rapport.example.com' });
  });
  after(async () => t.close());

  it('rate-limits login per client address (429) and marks cookies Secure behind https', async () => {
    const user = await addUser(t, 'lead');
    const page = await request(t.app).get('/login').expect(200);
    const setCookie = String(page.headers['set-cookie']);
    assert.match(setCookie, /Secure/);
    // The test speaks plain http, so the Secure cookie is sent back by hand.
    const cookie = /rapport_csrf=[^;]+/.exec(setCookie)?.[0] ?? '';
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await request(t.app).post('/login').set('Cookie', cookie).type('form').send({ _csrf: csrfOf(page.text), email: user.email, password: 'wrong password!' })).status);
    assert.deepEqual(statuses, [401, 401, 401, 401, 429, 429], 'the GET counted as one of the five');
  });
});
