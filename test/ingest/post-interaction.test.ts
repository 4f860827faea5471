import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import request from 'supertest';
import { createApiKey, revokeApiKey } from '../../src/accounts/api-keys';
import { ENGINES, snapshotCounts } from '../support/database';
import { postTrigger, startTestApp, withSetting, type TestApp } from '../support/app';
import { buildTrigger, type TriggerBody } from '../support/triggers';
import { parseTrigger, type Trigger } from '../../src/ingest/schema';

for (const engine of ENGINES) {
  describe(`POST /api/v1/interactions (${engine})`, () => {
    let t: TestApp;
    before(async () => {
      t = await startTestApp(engine, { SURVEY_DELAY_SECONDS: '600' });
    });
    after(async () => t.close());

    const post = (body: unknown, key = t.apiKey) => postTrigger(t, body, key);
    /** Sends JSON text as is: what JSON.stringify cannot write (1e309) or should not be asked to (deep nesting). */
    const postText = (json: string) => request(t.app).post('/api/v1/interactions').set('Authorization', `Bearer ${t.apiKey}`).set('Content-Type', 'application/json').send(json);

    it('records an interaction and schedules its survey at closed_at + delay', async () => {
      const now = Date.now();
      const closedAt = new Date(now - 60_000);
      const trigger = buildTrigger({ closed_at: closedAt.toISOString(), opened_at: new Date(now - 120_000).toISOString(), first_response_at: null });
      const res = await post(trigger);
      assert.equal(res.status, 201);
      assert.equal(res.body.duplicate, false);
      assert.equal(res.body.source, 'zendesk');
      assert.equal(res.body.external_id, trigger.external_id);
      assert.match(res.body.id, /^[0-9a-f-]{36}$/);
      assert.equal(res.body.survey.status, 'scheduled');
      assert.equal(res.body.survey.send_at, new Date(closedAt.getTime() + 600_000).toISOString());

      const stored = await t.db('interactions').where({ id: res.body.id }).first();
      assert.equal(stored.channel, 'chat');
      assert.equal(Number(stored.closed_at), closedAt.getTime());
      assert.equal(stored.first_response_at, null);
      assert.deepEqual(JSON.parse(stored.metadata), trigger.metadata);
      const outbox = await t.db('outbox_messages').where({ survey_id: res.body.survey.id }).first();
      assert.equal(outbox.status, 'pending');
      assert.equal(Number(outbox.due_at), closedAt.getTime() + 600_000);
      assert.match(outbox.message_id, /^<survey-[0-9a-f-]{36}@localhost>$/);
    });

    it('sends at once when closed_at + delay has already passed', async () => {
      const before = Date.now();
      const res = await post(buildTrigger({ closed_at: new Date(before - 3_600_000).toISOString(), opened_at: null, first_response_at: null }));
      assert.equal(res.status, 201);
      const sendAt = Date.parse(res.body.survey.send_at);
      assert.ok(sendAt >= before && sendAt <= Date.now(), `send_at ${res.body.survey.send_at} should be now`);
    });

    it('defaults source to "api" and accepts a trigger without optional fields', async () => {
      const res = await post({ external_id: 'minimal-1', channel: 'phone', closed_at: new Date().toISOString(), agent: { external_id: 'a-min' }, customer: { email: 'min@example.org' } });
      assert.equal(res.status, 201);
      assert.equal(res.body.source, 'api');
    });

    it('answers a repeated trigger with 200, the original record and no second survey', async () => {
      const trigger = buildTrigger();
      const first = await post(trigger);
      const counts = await snapshotCounts(t.db);
      const second = await post({ ...trigger, channel: 'email', agent: { external_id: 'someone-else', name: 'Changed' } });
      assert.equal(second.status, 200);
      assert.equal(second.body.duplicate, true);
      assert.equal(second.body.id, first.body.id);
      assert.deepEqual(second.body.survey, first.body.survey);
      assert.deepEqual(await snapshotCounts(t.db), counts);
      const stored = await t.db('interactions').where({ id: first.body.id }).first();
      assert.equal(stored.channel, 'chat');
    });

    it('leaves the stored customer alone for a repeat, in a batch of different customers or with one customer twice', async () => {
      const original = buildTrigger();
      assert.equal((await post(original)).status, 201);
      const customer = original.customer as Record<string, unknown>;
      const stored = () => t.db('customers').where({ email: customer.email }).first();
      const before = await stored();
      const parsed = (body: TriggerBody) => {
        const result = parseTrigger(body, t.clock());
        assert.ok(result.ok);
        return result.trigger;
      };
      const repeat = parsed({ ...original, customer: { ...customer, name: 'Someone Else', locale: 'de', external_id: 'other' } });
      // Reported in one go: the first goes alone, the others wait for it and are written as one batch.
      const report = (triggers: Trigger[]) => Promise.all(triggers.map((trigger) => t.ingestor.report(trigger)));
      const fresh = buildTrigger();
      const distinct = await report([parsed(buildTrigger()), repeat, parsed(fresh)]);
      assert.deepEqual(distinct.map((r) => r.duplicate), [false, true, false]);
      const twice = await report([parsed(buildTrigger()), repeat, parsed(buildTrigger({ customer: fresh.customer })), parsed(buildTrigger({ customer: fresh.customer }))]);
      assert.deepEqual(twice.map((r) => r.duplicate), [false, true, false, false]);
      assert.deepEqual(await stored(), before);
    });

    it('answers a repeat with the original record after its survey was sent, not the survey’s later state', async () => {
      const trigger = buildTrigger();
      const first = await post(trigger);
      assert.equal(first.body.survey.status, 'scheduled');
      t.clock.set(Date.now() + 11 * 60_000);
      try {
        const worker = t.worker();
        while ((await worker.runOnce()) > 0);
        assert.equal((await t.db('surveys').where({ id: first.body.survey.id }).first('status')).status, 'sent');
        const again = await post(trigger);
        assert.equal(again.status, 200);
        assert.deepEqual(again.body, { ...first.body, duplicate: true });
      } finally {
        t.clock.set(Date.now());
      }
    });

    it('treats the same external_id from another source as a different interaction', async () => {
      const trigger = buildTrigger();
      assert.equal((await post(trigger)).status, 201);
      assert.equal((await post({ ...trigger, source: 'freshdesk' })).status, 201);
    });

    it('creates exactly one interaction and survey when duplicates race', async () => {
      const trigger = buildTrigger();
      const responses = await Promise.all(Array.from({ length: 12 }, () => post(trigger)));
      const statuses = responses.map((r) => r.status).sort();
      assert.deepEqual(statuses, [200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 201]);
      assert.equal(new Set(responses.map((r) => r.body.id)).size, 1);
      assert.equal(new Set(responses.map((r) => r.body.survey.id)).size, 1);
      const rows = await t.db('interactions').where({ source: 'zendesk', external_id: trigger.external_id });
      assert.equal(rows.length, 1);
      const surveys = await t.db('surveys').where({ interaction_id: rows[0].id });
      assert.equal(surveys.length, 1);
      const emails = await t.db('outbox_messages').where({ survey_id: surveys[0].id });
      assert.equal(emails.length, 1);
    });

    it('keeps many different concurrent triggers apart', async () => {
      const triggers = Array.from({ length: 40 }, () => buildTrigger());
      const responses = await Promise.all(triggers.map((tr) => post(tr)));
      assert.ok(responses.every((r) => r.status === 201));
      assert.equal(new Set(responses.map((r) => r.body.id)).size, 40);
    });

    it('creates and updates agents and teams from what triggers say', async () => {
      await post(buildTrigger({ agent: { external_id: 'a-new', name: 'Bo', team: 'Tier 2' } }));
      let agent = await t.db('agents').where({ external_id: 'a-new' }).first();
      const tier2 = await t.db('teams').where({ name: 'Tier 2' }).first();
      assert.equal(agent.name, 'Bo');
      assert.equal(agent.team_id, tier2.id);
      await post(buildTrigger({ agent: { external_id: 'a-new', name: 'Bo Li', email: 'bo@example.com', team: 'Tier 3' } }));
      agent = await t.db('agents').where({ external_id: 'a-new' }).first();
      const tier3 = await t.db('teams').where({ name: 'Tier 3' }).first();
      assert.equal(agent.name, 'Bo Li');
      assert.equal(agent.email, 'bo@example.com');
      assert.equal(agent.team_id, tier3.id);
      // A trigger that leaves fields out keeps what is stored; its interaction counts for the agent's team.
      const res = await post(buildTrigger({ agent: { external_id: 'a-new' } }));
      agent = await t.db('agents').where({ external_id: 'a-new' }).first();
      assert.equal(agent.name, 'Bo Li');
      const interaction = await t.db('interactions').where({ id: res.body.id }).first();
      assert.equal(interaction.team_id, tier3.id);
    });

    describe('survey decision', () => {
      it('suppresses with not_requested when survey.send is false, also without a customer email', async () => {
        const res = await post(buildTrigger({ survey: { send: false }, customer: null }));
        assert.equal(res.status, 201);
        assert.deepEqual({ status: res.body.survey.status, reason: res.body.survey.reason }, { status: 'suppressed', reason: 'not_requested' });
        assert.equal(await t.db('outbox_messages').where({ survey_id: res.body.survey.id }).first(), undefined);
      });

      it('suppresses with unsubscribed for an email that unsubscribed, before too_old and throttled', async () => {
        const email = 'gone@example.org';
        await post(buildTrigger({ customer: { email } }));
        await t.db('customers').where({ email }).update({ unsubscribed_at: Date.now() });
        const old = new Date(Date.now() - 10 * 86_400_000).toISOString();
        const res = await post(buildTrigger({ customer: { email: 'Gone@Example.org' }, closed_at: old, opened_at: null, first_response_at: null }));
        assert.equal(res.body.survey.reason, 'unsubscribed');
      });

      it('suppresses with too_old when closed_at is older than SURVEY_MAX_AGE_DAYS, before throttled', async () => {
        const email = 'history@example.org';
        await post(buildTrigger({ customer: { email } }));
        const old = new Date(Date.now() - 4 * 86_400_000).toISOString();
        const res = await post(buildTrigger({ customer: { email }, closed_at: old, opened_at: null, first_response_at: null }));
        assert.equal(res.body.survey.reason, 'too_old');
        const recent = new Date(Date.now() - 2 * 86_400_000).toISOString();
        const ok = await post(buildTrigger({ customer: { email: 'history2@example.org' }, closed_at: recent, opened_at: null, first_response_at: null }));
        assert.equal(ok.body.survey.status, 'scheduled');
      });

      it('throttles a second survey to the same email within SURVEY_THROTTLE_DAYS, counting only scheduled or sent ones', async () => {
        const email = 'often@example.org';
        const first = await post(buildTrigger({ customer: { email } }));
        assert.equal(first.body.survey.status, 'scheduled');
        const second = await post(buildTrigger({ customer: { email: 'OFTEN@example.org' } }));
        assert.deepEqual({ status: second.body.survey.status, reason: second.body.survey.reason }, { status: 'suppressed', reason: 'throttled' });
        // A suppressed survey does not extend the throttle: once the first is cancelled, the next is scheduled.
        await t.db('surveys').where({ id: first.body.survey.id }).update({ status: 'cancelled' });
        const third = await post(buildTrigger({ customer: { email } }));
        assert.equal(third.body.survey.status, 'scheduled');
      });

      it('schedules exactly one survey when several triggers for one new email arrive together', async () => {
        const email = 'burst@example.org';
        const responses = await Promise.all(Array.from({ length: 10 }, () => post(buildTrigger({ customer: { email } }))));
        assert.ok(responses.every((r) => r.status === 201));
        const statuses = responses.map((r) => `${r.body.survey.status}:${r.body.survey.reason ?? ''}`).sort();
        assert.deepEqual(statuses, [...Array(1).fill('scheduled:'), ...Array(9).fill('suppressed:throttled')].sort());
        const customer = await t.db('customers').where({ email }).first();
        const scheduled = await t.db('surveys').where({ customer_id: customer.id, status: 'scheduled' });
        assert.equal(scheduled.length, 1);
      });

      it('does not throttle when SURVEY_THROTTLE_DAYS is 0 (set in Settings)', async () => {
        await withSetting(t, 'survey.policy', { throttleDays: 0 }, async () => {
          const email = 'unthrottled@example.org';
          const a = await post(buildTrigger({ customer: { email } }));
          const b = await post(buildTrigger({ customer: { email } }));
          assert.equal(a.body.survey.status, 'scheduled');
          assert.equal(b.body.survey.status, 'scheduled');
        });
      });

      it('schedules again once the throttle window has passed', async () => {
        const email = 'weekly@example.org';
        const first = await post(buildTrigger({ customer: { email } }));
        const eightDaysAgo = Date.now() - 8 * 86_400_000;
        await t.db('surveys').where({ id: first.body.survey.id }).update({ status: 'sent', send_at: eightDaysAgo, sent_at: eightDaysAgo });
        const next = await post(buildTrigger({ customer: { email } }));
        assert.equal(next.body.survey.status, 'scheduled');
      });
    });

    describe('rejects bad input with problem+json and changes nothing', () => {
      const expectProblem = async (res: request.Response, status: number, code: string) => {
        assert.equal(res.status, status, JSON.stringify(res.body));
        assert.match(res.headers['content-type'] ?? '', /^application\/problem\+json/);
        const body = JSON.parse(res.text) as { status: number; code: string; type: string; title: string; detail: string };
        assert.equal(body.status, status);
        assert.equal(body.code, code);
        assert.ok(body.type && body.title && body.detail);
        assert.doesNotMatch(res.text, /at .+\.(ts|js):\d+|select |insert /i);
        return body as typeof body & { errors?: { path: string; message: string }[] };
      };

      const unchanged = async (send: () => Promise<request.Response>, status: number, code: string) => {
        const counts = await snapshotCounts(t.db);
        const body = await expectProblem(await send(), status, code);
        assert.deepEqual(await snapshotCounts(t.db), counts);
        return body;
      };

      const invalid = async (body: unknown, ...paths: string[]) => {
        const problem = await unchanged(() => post(body), 422, 'validation_failed');
        const reported = (problem.errors ?? []).map((e) => e.path);
        for (const p of paths) assert.ok(reported.includes(p), `expected ${p} among ${JSON.stringify(problem.errors)}`);
        return problem;
      };

      it('400 for malformed JSON', async () => {
        await unchanged(() => request(t.app).post('/api/v1/interactions').set('Authorization', `Bearer ${t.apiKey}`).set('Content-Type', 'application/json').send('{"external_id": "x",'), 400, 'malformed_json');
      });

      it('405 with Allow: POST for any other method on /api/v1/interactions', async () => {
        for (const method of ['get', 'put', 'patch', 'delete'] as const) {
          const res = await unchanged(() => request(t.app)[method]('/api/v1/interactions').set('Authorization', `Bearer ${t.apiKey}`), 405, 'method_not_allowed');
          assert.ok(res.detail.includes('POST'));
        }
        const res = await request(t.app).get('/api/v1/interactions').set('Authorization', `Bearer ${t.apiKey}`);
        assert.equal(res.headers.allow, 'POST');
      });

      it('415 for a body that is not JSON', async () => {
        await unchanged(() => request(t.app).post('/api/v1/interactions').set('Authorization', `Bearer ${t.apiKey}`).set('Content-Type', 'text/plain').send('hello'), 415, 'unsupported_media_type');
        await unchanged(
          () => request(t.app).post('/api/v1/interactions').set('Authorization', `Bearer ${t.apiKey}`).type('form').send({ external_id: 'x' }),
          415,
          'unsupported_media_type',
        );
      });

      it('413 for a body over 64 KiB', async () => {
        const big = buildTrigger({ metadata: { pad: 'x'.repeat(70 * 1024) } });
        const problem = await unchanged(() => post(big), 413, 'payload_too_large');
        assert.match(problem.detail, /64 KiB/);
      });

      it('415 for JSON in another charset than UTF-8, or compressed in a way the server does not read', async () => {
        const send = (headers: Record<string, string>) => () => request(t.app).post('/api/v1/interactions').set('Authorization', `Bearer ${t.apiKey}`).set(headers).send(JSON.stringify(buildTrigger()));
        const latin1 = await unchanged(send({ 'Content-Type': 'application/json; charset=latin1' }), 415, 'unsupported_media_type');
        assert.match(latin1.detail, /UTF-8/);
        await unchanged(send({ 'Content-Type': 'application/json', 'Content-Encoding': 'zstd' }), 415, 'unsupported_media_type');
      });

      it('401 without a key, with a wrong key and with a revoked key', async () => {
        await unchanged(() => request(t.app).post('/api/v1/interactions').set('Content-Type', 'application/json').send(JSON.stringify(buildTrigger())), 401, 'unauthorized');
        await unchanged(() => post(buildTrigger(), 'rk_not-a-real-key'), 401, 'unauthorized');
        await unchanged(() => post(buildTrigger(), 'Basic abc'), 401, 'unauthorized');
        const res = await request(t.app).post('/api/v1/interactions').set('Authorization', 'Basic dXNlcjpwYXNz').send({});
        assert.equal(res.headers['www-authenticate'], 'Bearer realm="rapport"');

        const doomed = await createApiKey(t.db, Date.now, 'doomed');
        assert.equal((await post(buildTrigger(), doomed.key)).status, 201);
        assert.equal(await revokeApiKey(t.db, Date.now, doomed.id), true);
        await unchanged(() => post(buildTrigger(), doomed.key), 401, 'unauthorized');
      });

      it('422 for a body that is not an object', async () => {
        await invalid([buildTrigger()], '(body)');
        await invalid('just a string', '(body)');
        await invalid(null, '(body)');
      });

      for (const [field, path] of [['external_id', 'external_id'], ['channel', 'channel'], ['closed_at', 'closed_at'], ['agent', 'agent.external_id']] as const) {
        it(`422 naming ${path} when ${field} is missing`, async () => {
          const body = buildTrigger();
          delete body[field];
          await invalid(body, path);
        });
      }

      it('422 naming every required field of an empty object', async () => {
        await invalid({}, 'external_id', 'channel', 'closed_at', 'agent.external_id', 'customer.email');
      });

      it('422 naming agent.external_id and customer.email when missing', async () => {
        await invalid(buildTrigger({ agent: { name: 'No id' } }), 'agent.external_id');
        await invalid(buildTrigger({ customer: { name: 'No email' } }), 'customer.email');
        await invalid(buildTrigger({ customer: null }), 'customer.email');
      });

      it('422 naming every field of the wrong type, without coercing "5" to 5', async () => {
        const problem = await invalid(
          { ...buildTrigger(), external_id: 42, contacts: '1', closed_at: 1732111380, channel: ['chat'], agent: 'a-17', survey: { send: 'yes' }, metadata: 'x' },
          'external_id',
          'contacts',
          'closed_at',
          'channel',
          'agent',
          'survey.send',
          'metadata',
        );
        assert.ok((problem.errors ?? []).length >= 7);
      });

      it('422 for contacts that are not a whole number ≥ 1', async () => {
        await invalid(buildTrigger({ contacts: 0 }), 'contacts');
        await invalid(buildTrigger({ contacts: 1.5 }), 'contacts');
        await invalid(buildTrigger({ contacts: -3 }), 'contacts');
      });

      it('422 for a channel outside [a-z0-9_-]{1,32}', async () => {
        for (const channel of ['Chat', 'chat room', 'chät', 'chat/1', '', 'c'.repeat(33), "chat'; drop table interactions;--"]) {
          await invalid(buildTrigger({ channel }), 'channel');
        }
      });

      it('422 for an invalid customer email, agent email or locale', async () => {
        await invalid(buildTrigger({ customer: { email: 'not-an-email' } }), 'customer.email');
        await invalid(buildTrigger({ agent: { external_id: 'a-1', email: 'nope' } }), 'agent.email');
        await invalid(buildTrigger({ customer: { email: 'ok@example.org', locale: 'spanish please' } }), 'customer.locale');
        // Not BCP 47 (a singleton needs a subtag of 2–8 characters); longer than the locale columns (a 500 on PostgreSQL once).
        for (const locale of ['zz-ZZZZZZZZ-a-b', 'es_MX', 'abc-abcdefgh-abcdefgh']) {
          await invalid(buildTrigger({ customer: { email: 'ok@example.org', locale } }), 'customer.locale');
        }
      });

      it('accepts any well-formed language tag that fits, extensions included', async () => {
        for (const locale of ['en-US-u-nu-arab', 'zh-Hant-TW', 'id']) {
          const res = await post(buildTrigger({ customer: { email: `l-${locale}@example.org`, locale } }));
          assert.equal(res.status, 201, locale);
        }
      });

      it('422 for timestamps without an offset, impossible dates or the far future', async () => {
        const future = new Date(Date.now() + 6 * 60_000).toISOString();
        for (const closed_at of ['2026-11-20T14:03:00', '2026-11-20 14:03:00Z', '2026-11-20', '2026-02-30T10:00:00Z', '2026-11-20T25:00:00Z', 'yesterday', future, '9999-01-01T00:00:00Z']) {
          await invalid(buildTrigger({ closed_at, opened_at: null, first_response_at: null }), 'closed_at');
        }
        await invalid(buildTrigger({ opened_at: '2026-11-20T14:03:00' }), 'opened_at');
        const early = await invalid(buildTrigger({ opened_at: null, first_response_at: null, closed_at: '1970-01-01T05:00:00+14:00' }), 'closed_at');
        assert.match(early.errors?.find((e) => e.path === 'closed_at')?.message ?? '', /before 1970/);
        await invalid(buildTrigger({ first_response_at: future }), 'first_response_at');
      });

      it('accepts a timestamp up to 5 minutes in the future and with a non-UTC offset', async () => {
        const soon = new Date(Date.now() + 4 * 60_000);
        const res = await post(buildTrigger({ closed_at: soon.toISOString(), opened_at: null, first_response_at: null }));
        assert.equal(res.status, 201);
        const offset = await post(buildTrigger({ closed_at: '2026-11-20T16:03:00+02:00', opened_at: '2026-11-20T13:41:10Z', first_response_at: null }));
        assert.equal(offset.status, 201);
        const stored = await t.db('interactions').where({ id: offset.body.id }).first();
        assert.equal(Number(stored.closed_at), Date.parse('2026-11-20T14:03:00Z'));
      });

      it('422 when opened_at, first_response_at and closed_at are out of order', async () => {
        await invalid(buildTrigger({ opened_at: '2026-11-20T15:00:00Z', first_response_at: null, closed_at: '2026-11-20T14:00:00Z' }), 'opened_at');
        await invalid(buildTrigger({ opened_at: '2026-11-20T13:00:00Z', first_response_at: '2026-11-20T14:30:00Z', closed_at: '2026-11-20T14:00:00Z' }), 'first_response_at');
        await invalid(buildTrigger({ opened_at: '2026-11-20T13:00:00Z', first_response_at: '2026-11-20T12:30:00Z', closed_at: '2026-11-20T14:00:00Z' }), 'first_response_at');
      });

      it('422 for a 10 KiB external_id and metadata over 4 KiB', async () => {
        await invalid(buildTrigger({ external_id: 'x'.repeat(10 * 1024) }), 'external_id');
        await invalid(buildTrigger({ metadata: { notes: 'y'.repeat(4100) } }), 'metadata');
        await invalid(buildTrigger({ metadata: ['not', 'an', 'object'] }), 'metadata');
      });

      it('422 for NUL characters, which PostgreSQL cannot store', async () => {
        await invalid(buildTrigger({ external_id: 'a\u0000b' }), 'external_id');
        await invalid(buildTrigger({ metadata: { note: 'a\u0000b' } }), 'metadata');
      });

      it('422 for unpaired UTF-16 surrogates, which neither engine can store as sent', async () => {
        // JSON allows "\ud800"; stored, it would never match its own retry (SQLite) or would merge with
        // another id (PostgreSQL turns it into U+FFFD).
        const lone = 'T-\ud800';
        await invalid(buildTrigger({ external_id: lone }), 'external_id');
        await invalid(buildTrigger({ source: lone }), 'source');
        await invalid(buildTrigger({ agent: { external_id: lone, team: lone } }), 'agent.external_id', 'agent.team');
        await invalid(buildTrigger({ customer: { email: 'ok@example.org', name: 'Carla \udc00', external_id: lone } }), 'customer.name', 'customer.external_id');
        await invalid(buildTrigger({ metadata: { note: lone } }), 'metadata');
        await invalid(buildTrigger({ metadata: { [lone]: 'x' } }), 'metadata');
        // A whole pair is one character like any other.
        assert.equal((await post(buildTrigger({ external_id: 'T-\ud83d\ude00' }))).status, 201);
      });

      it('400 for a body that is not valid UTF-8, which would otherwise merge different ids as U+FFFD', async () => {
        for (const bytes of [[0xff], [0xfe], [0xed, 0xa0, 0x80], [0xc0, 0xaf]]) {
          const [head = '', tail = ''] = JSON.stringify(buildTrigger({ external_id: 'U-BYTES' })).split('BYTES');
          const body = Buffer.concat([Buffer.from(head), Buffer.from(bytes), Buffer.from(tail)]);
          // superagent would send a Buffer as JSON ({"type":"Buffer",…}); its serializer's result goes out as is.
          const send = () => request(t.app).post('/api/v1/interactions').set('Authorization', `Bearer ${t.apiKey}`).set('Content-Type', 'application/json').serialize(() => body as unknown as string).send({});
          const problem = await unchanged(send, 400, 'malformed_json');
          assert.match(problem.detail, /UTF-8/);
        }
      });

      it('422 for metadata nested deeper than 32 levels or holding numbers beyond a double, however deep', async () => {
        const nested = (levels: number): unknown => {
          let value: unknown = 'leaf';
          for (let i = 0; i < levels; i++) value = i % 2 ? { k: value } : [value];
          return value;
        };
        // 10,000 levels are 20 KiB of JSON: deeper than JSON.stringify can descend.
        const deepBody = JSON.stringify({ ...buildTrigger(), metadata: { x: 1 } }).replace('{"x":1}', `{"x":${'['.repeat(10_000)}${']'.repeat(10_000)}}`);
        const deep = await unchanged(() => postText(deepBody), 422, 'validation_failed');
        assert.deepEqual(deep.errors?.map((e) => e.path), ['metadata']);
        assert.match(deep.errors?.[0]?.message ?? '', /32 levels/);
        await invalid(buildTrigger({ metadata: { x: nested(32) } }), 'metadata');
        assert.equal((await post(buildTrigger({ metadata: { x: nested(31) } }))).status, 201);
        const huge = JSON.stringify({ ...buildTrigger(), metadata: { x: 1 } }).replace('{"x":1}', '{"x":{"y":[1e309]}}');
        const tooBig = await unchanged(() => postText(huge), 422, 'validation_failed');
        assert.deepEqual(tooBig.errors?.map((e) => e.path), ['metadata']);
      });
    });

    it('stores SQL and HTML in every string field as plain text', async () => {
      const evil = `<script>alert(1)</script>'; DROP TABLE interactions; --`;
      const body: TriggerBody = buildTrigger({
        external_id: evil,
        source: evil,
        agent: { external_id: evil, name: evil, team: evil },
        customer: { email: 'x@example.org', name: evil, external_id: evil },
        metadata: { [evil]: evil },
      });
      const res = await post(body);
      assert.equal(res.status, 201);
      assert.equal(res.body.external_id, evil);
      const stored = await t.db('interactions').where({ id: res.body.id }).first();
      assert.equal(stored.external_id, evil);
      assert.equal(stored.source, evil);
      assert.deepEqual(JSON.parse(stored.metadata), { [evil]: evil });
      assert.equal((await t.db('agents').where({ external_id: evil }).first()).name, evil);
      assert.equal((await t.db('teams').where({ name: evil }).first()).name, evil);
      assert.equal((await t.db('customers').where({ email: 'x@example.org' }).first()).name, evil);
    });

    it('logs requests without API keys or customer emails', async () => {
      const trigger = buildTrigger({ customer: { email: 'private-person@example.org' } });
      await post(trigger);
      const logs = t.logs();
      assert.match(logs, /ingest\.interaction_recorded/);
      assert.ok(!logs.includes(t.apiKey), 'API key leaked into logs');
      assert.ok(!logs.includes('private-person@example.org'), 'customer email leaked into logs');
    });
  });
}
