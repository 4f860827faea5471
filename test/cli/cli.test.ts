import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import argon2 from 'argon2';
import { ENGINES, createTestDatabase, type TestDatabase } from '../support/database';
import { runCli, startServer } from '../support/cli';
import { buildTrigger } from '../support/triggers';

for (const engine of ENGINES) {
  describe(`rapport CLI (${engine})`, () => {
    let database: TestDatabase;
    before(async () => {
      database = await createTestDatabase(engine, { migrate: false });
    });
    after(async () => database.cleanup());

    it('migrate applies every migration once', async () => {
      const first = await runCli(['migrate'], database.env);
      assert.equal(first.code, 0, first.stderr);
      assert.match(first.stdout, /Applied \d+ migration/);
      const again = await runCli(['migrate'], database.env);
      assert.equal(again.code, 0);
      assert.match(again.stdout, /up to date/);
    });

    it('api-key create prints the key alone on the last line; list never shows it; revoke turns it away', async () => {
      const created = await runCli(['api-key', 'create', '--name', 'helpdesk'], database.env);
      assert.equal(created.code, 0, created.stderr);
      const key = created.stdout.trim().split('\n').at(-1) ?? '';
      assert.match(key, /^rk_[A-Za-z0-9_-]{43}$/);
      const stored = await database.db('api_keys').where({ name: 'helpdesk' }).first();
      assert.notEqual(stored.key_hash, key);
      assert.ok(!JSON.stringify(stored).includes(key.slice(3)));

      const listed = await runCli(['api-key', 'list'], database.env);
      assert.equal(listed.code, 0);
      assert.match(listed.stdout, /helpdesk/);
      assert.match(listed.stdout, new RegExp(stored.id));
      assert.ok(listed.stdout.includes(key.slice(0, 11)));
      assert.ok(!listed.stdout.includes(key));

      const server = await startServer(database.env);
      try {
        const send = () =>
          fetch(`${server.baseUrl}/api/v1/interactions`, {
            method: 'POST',
            headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
            body: JSON.stringify(buildTrigger()),
          });
        assert.equal((await send()).status, 201);
        const revoked = await runCli(['api-key', 'revoke', stored.id], database.env);
        assert.equal(revoked.code, 0, revoked.stderr);
        assert.equal((await send()).status, 401);
      } finally {
        server.child.kill('SIGTERM');
        await server.exited;
      }
      const again = await runCli(['api-key', 'revoke', stored.id], database.env);
      assert.equal(again.code, 1);
      assert.match(again.stderr, /no active API key/);
    });

    it('user create reads the password from stdin, stores an argon2id hash and prints the id', async () => {
      const res = await runCli(['user', 'create', '--email', 'Lead@Example.com', '--role', 'lead', '--name', 'Lee'], database.env, 'correct horse battery\n');
      assert.equal(res.code, 0, res.stderr);
      const id = res.stdout.trim();
      const user = await database.db('users').where({ id }).first();
      assert.equal(user.email, 'lead@example.com');
      assert.equal(user.role, 'lead');
      assert.match(user.password_hash, /^\$argon2id\$/);
      assert.ok(await argon2.verify(user.password_hash, 'correct horse battery'));

      const duplicate = await runCli(['user', 'create', '--email', 'lead@example.com', '--role', 'admin'], database.env, 'another long password\n');
      assert.equal(duplicate.code, 1);
      assert.equal(duplicate.stderr.trim().split('\n').length, 1, duplicate.stderr);
      assert.match(duplicate.stderr, /already exists/);
      const short = await runCli(['user', 'create', '--email', 'x@example.com', '--role', 'admin'], database.env, 'short\n');
      assert.equal(short.code, 1);
      assert.match(short.stderr, /password must be at least 12 characters/);
      const badRole = await runCli(['user', 'create', '--email', 'x@example.com', '--role', 'owner'], database.env, 'long enough password\n');
      assert.equal(badRole.code, 1);
      assert.match(badRole.stderr, /--role must be one of admin, lead/);
    });

    it('stops at start-up with one line naming a bad variable', async () => {
      const res = await runCli(['migrate'], { ...database.env, SURVEY_DELAY_SECONDS: 'soon' });
      assert.equal(res.code, 1);
      assert.equal(res.stderr.trim().split('\n').length, 1);
      assert.match(res.stderr, /SURVEY_DELAY_SECONDS/);
    });

    it('stops with one line naming DATA_DIR when the database folder cannot be made', async () => {
      const file = path.join(os.tmpdir(), `rapport-not-a-folder-${process.pid}`);
      fs.writeFileSync(file, '');
      try {
        for (const dataDir of [file, path.join(file, 'sub'), '/proc/rapport-nonexistent/data']) {
          const res = await runCli(['migrate'], { DATA_DIR: dataDir });
          assert.equal(res.code, 1, dataDir);
          assert.equal(res.stderr.trim().split('\n').length, 1, res.stderr);
          assert.match(res.stderr, /DATA_DIR: cannot create the database folder/);
        }
      } finally {
        fs.rmSync(file, { force: true });
      }
    });

    it('stops with one line naming DATABASE_URL when PostgreSQL cannot be reached', async () => {
      const res = await runCli(['migrate'], { DATABASE_URL: 'postgres://postgres@127.0.0.1:1/test' });
      assert.equal(res.code, 1);
      assert.equal(res.stderr.trim().split('\n').length, 1, res.stderr);
      assert.match(res.stderr, /DATABASE_URL: cannot use the PostgreSQL database \(ECONNREFUSED/);
      // knex's own warning arrives as a log line like every other, not as console.log text with a stack.
      const lines = res.stdout.split('\n').filter((line) => line.trim() !== '');
      const logged = lines.map((line) => JSON.parse(line) as { event?: string; msg?: string; module?: string });
      assert.ok(
        logged.some((entry) => entry.event === 'db.knex_warning' && entry.module === 'db' && /ECONNREFUSED/.test(entry.msg ?? '')),
        res.stdout,
      );
    });

    it('rejects an unknown command with the usage', async () => {
      const res = await runCli(['frobnicate'], database.env);
      assert.equal(res.code, 1);
      assert.match(res.stderr, /unknown command/);
    });
  });
}

describe('rapport serve (sqlite)', () => {
  let database: TestDatabase;
  before(async () => {
    database = await createTestDatabase('sqlite', { migrate: false });
  });
  after(async () => database.cleanup());

  it('stops with one line naming PORT when the port is taken, instead of claiming to listen', { timeout: 60_000 }, async () => {
    const taken = http.createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    try {
      const port = (taken.address() as { port: number }).port;
      const res = await runCli(['serve'], { ...database.env, PORT: String(port) });
      assert.equal(res.code, 1);
      assert.doesNotMatch(res.stdout, /Rapport is running/);
      assert.match(res.stderr, new RegExp(`PORT: 127\\.0\\.0\\.1:${port} is already in use`));
      assert.equal(res.stderr.trim().split('\n').length, 1, res.stderr);
    } finally {
      taken.close();
    }
  });

  it('prints a one-time setup link while no user exists, and a new one at each start', async () => {
    const first = await startServer(database.env);
    first.child.kill('SIGTERM');
    assert.equal(await first.exited, 0);
    const link = /\/setup\?token=([A-Za-z0-9_-]{32,})/.exec(first.output());
    assert.ok(link, first.output());
    const stored = await database.db('settings').where({ key: 'setup.token_hash' }).first();
    assert.ok(!stored.value.includes(link[1]));
    const second = await startServer(database.env);
    second.child.kill('SIGTERM');
    await second.exited;
    assert.ok(!second.output().includes(link[1] as string));
  });

  it('finishes an in-flight request on SIGTERM, then exits 0 with the data committed', async () => {
    const created = await runCli(['api-key', 'create', '--name', 'shutdown'], database.env);
    const key = created.stdout.trim().split('\n').at(-1) ?? '';
    const server = await startServer(database.env);
    const trigger = buildTrigger();
    const body = JSON.stringify(trigger);
    const url = new URL(`${server.baseUrl}/api/v1/interactions`);
    const status = new Promise<number>((resolve, reject) => {
      const req = http.request(url, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      // Half the body now, SIGTERM, then the rest: the request is in flight while the server stops.
      req.write(body.slice(0, 100));
      setTimeout(() => {
        server.child.kill('SIGTERM');
        setTimeout(() => req.end(body.slice(100)), 300);
      }, 200);
    });
    assert.equal(await status, 201);
    assert.equal(await server.exited, 0);
    const row = await database.db('interactions').where({ external_id: trigger.external_id }).first();
    assert.ok(row, 'the acknowledged interaction is stored');
  });

  it('loses nothing acknowledged when killed outright', async () => {
    const created = await runCli(['api-key', 'create', '--name', 'kill'], database.env);
    const key = created.stdout.trim().split('\n').at(-1) ?? '';
    const server = await startServer(database.env);
    const triggers = Array.from({ length: 30 }, () => buildTrigger());
    const acknowledged: string[] = [];
    await Promise.all(
      triggers.map(async (trigger) => {
        const res = await fetch(`${server.baseUrl}/api/v1/interactions`, {
          method: 'POST',
          headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
          body: JSON.stringify(trigger),
        });
        if (res.status === 201) acknowledged.push(trigger.external_id as string);
      }),
    );
    server.child.kill('SIGKILL');
    await server.exited;
    assert.equal(acknowledged.length, 30);
    const stored = await database.db('interactions').whereIn('external_id', acknowledged).count({ n: '*' }).first();
    assert.equal(Number((stored as { n: number }).n), 30);
    const emails = await database.db('outbox_messages as o').join('surveys as s', 's.id', 'o.survey_id').join('interactions as i', 'i.id', 's.interaction_id').whereIn('i.external_id', acknowledged).count({ n: '*' }).first();
    assert.equal(Number((emails as { n: number }).n), 30);
  });
});
