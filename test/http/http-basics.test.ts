import assert from 'node:assert/strict';
import net from 'node:net';
import { after, before, describe, it } from 'node:test';
import request from 'supertest';
import { createHttpServer } from '../../src/http/http-server';
import { snapshotCounts } from '../support/database';
import { startTestApp, type TestApp } from '../support/app';
import { buildTrigger } from '../support/triggers';

describe('HTTP basics', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp('sqlite', { API_RATE_LIMIT_PER_MINUTE: '3' });
  });
  after(async () => t.close());

  it('answers /healthz and /readyz while the database answers', async () => {
    assert.equal((await request(t.app).get('/healthz')).status, 200);
    const ready = await request(t.app).get('/readyz');
    assert.equal(ready.status, 200);
    assert.equal(ready.body.status, 'ready');
  });

  it('sends the security headers and no X-Powered-By', async () => {
    const res = await request(t.app).get('/healthz');
    const csp = res.headers['content-security-policy'] ?? '';
    assert.match(csp, /frame-ancestors 'none'/);
    assert.match(csp, /script-src 'self'/);
    assert.doesNotMatch(csp, /unsafe-inline/);
    assert.equal(res.headers['x-content-type-options'], 'nosniff');
    assert.equal(res.headers['referrer-policy'], 'same-origin');
    assert.equal(res.headers['x-powered-by'], undefined);
    assert.equal(res.headers['strict-transport-security'], undefined);
  });

  it('gives every response a request id, keeping a sane incoming one', async () => {
    assert.match((await request(t.app).get('/healthz')).headers['x-request-id'] ?? '', /^[0-9a-f-]{36}$/);
    assert.equal((await request(t.app).get('/healthz').set('X-Request-Id', 'lb-123')).headers['x-request-id'], 'lb-123');
    assert.notEqual((await request(t.app).get('/healthz').set('X-Request-Id', 'bad id with spaces')).headers['x-request-id'], 'bad id with spaces');
  });

  it('logs one line per request with its id, method, masked path, status and time, and none for health probes', async () => {
    await request(t.app).get('/healthz').set('X-Request-Id', 'probe-1');
    await request(t.app).get('/s/secret-token-value?csat=5').set('X-Request-Id', 'page-1');
    await request(t.app).get('/api/v1/kpis').set('X-Request-Id', 'api-1');
    const lines = t
      .logs()
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { msg?: string; level: number; req?: { id: string; method: string; url: string }; res?: { statusCode: number }; responseTime?: number });
    const byId = (id: string) => lines.filter((l) => l.req?.id === id);
    assert.equal(byId('probe-1').length, 0);
    const [page] = byId('page-1');
    assert.deepEqual(page?.req, { id: 'page-1', method: 'GET', url: '/s/[token]?csat=5' });
    assert.equal(page?.res?.statusCode, 404);
    assert.equal(page?.msg, 'request completed');
    assert.equal(typeof page?.responseTime, 'number');
    assert.equal(byId('api-1')[0]?.res?.statusCode, 401);
    assert.ok(!t.logs().includes('secret-token-value'));
  });

  it('answers unknown API paths with a problem+json 404 after authentication', async () => {
    const anonymous = await request(t.app).get('/api/v1/nothing');
    assert.equal(anonymous.status, 401);
    const res = await request(t.app).get('/api/v1/nothing').set('Authorization', `Bearer ${t.apiKey}`);
    assert.equal(res.status, 404);
    assert.match(res.headers['content-type'] ?? '', /application\/problem\+json/);
    assert.equal((await request(t.app).get('/api/v2/x')).status, 404);
  });

  it('answers unknown pages with a friendly HTML 404', async () => {
    const res = await request(t.app).get('/no/such/page').set('Accept', 'text/html');
    assert.equal(res.status, 404);
    assert.match(res.headers['content-type'] ?? '', /text\/html/);
    assert.match(res.text, /<h1>Not found<\/h1>/);
  });

  it('serves static files from public/ only', async () => {
    const css = await request(t.app).get('/assets/app.css');
    assert.equal(css.status, 200);
    assert.match(css.headers['cache-control'] ?? '', /max-age=86400/);
    for (const path of ['/assets/../package.json', '/assets/%2e%2e/package.json', '/assets/..%2fpackage.json', '/assets/%2e%2e%2fsrc%2fpaths.ts']) {
      const res = await request(t.app).get(path);
      assert.ok(res.status === 404 || res.status === 403 || res.status === 400, `${path} answered ${res.status}`);
      assert.doesNotMatch(res.text, /"name": "rapport"|projectRoot/);
    }
  });

  it('answers a directory path under /assets with a 404 page, not a redirect without our headers', async () => {
    const res = await request(t.app).get('/assets').set('Accept', 'text/html');
    assert.equal(res.status, 404);
    assert.match(res.headers['content-security-policy'] ?? '', /frame-ancestors 'none'/);
  });

  it("answers a static file's unsatisfiable range or failed precondition with its status, dressed as an error page, never cacheable", async () => {
    for (const [header, value, status] of [
      ['Range', 'bytes=99999999-', 416],
      ['If-Match', '"not-this-file"', 412],
    ] as const) {
      const res = await request(t.app).get('/assets/dashboard.css').set(header, value).set('Accept', 'text/html');
      assert.equal(res.status, status, header);
      assert.match(res.headers['content-type'] ?? '', /^text\/html/, header);
      assert.equal(res.headers['cache-control'], 'no-store', header);
      assert.equal(res.headers.etag, undefined, header);
      assert.equal(res.headers['last-modified'], undefined, header);
    }
    // The file itself is served as before.
    const css = await request(t.app).get('/assets/dashboard.css');
    assert.equal(css.status, 200);
    assert.match(css.headers['content-type'] ?? '', /^text\/css/);
  });

  it('answers 429 with Retry-After once an API key exceeds its per-minute limit, storing nothing', async () => {
    const post = () =>
      request(t.app).post('/api/v1/interactions').set('Authorization', `Bearer ${t.apiKey}`).set('Content-Type', 'application/json').send(JSON.stringify(buildTrigger()));
    // Earlier tests in this file already used one request of this key's budget of 3.
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) statuses.push((await post()).status);
    assert.ok(statuses.includes(201));
    const counts = await snapshotCounts(t.db);
    const limited = await post();
    assert.equal(limited.status, 429);
    assert.match(limited.headers['content-type'] ?? '', /application\/problem\+json/);
    assert.ok(Number(limited.headers['retry-after']) >= 1);
    assert.equal(JSON.parse(limited.text).code, 'rate_limited');
    assert.deepEqual(await snapshotCounts(t.db), counts);
  });

  it('answers what Node would answer bare (bad HTTP, a missing Host, Expect, CONNECT) with problem+json and the security headers', async () => {
    const server = createHttpServer(t.app, t.config);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as net.AddressInfo).port;
    /** Sends raw bytes; resolves to the status, headers and body the server wrote before closing. */
    const raw = (text: string) =>
      new Promise<{ status: number; headers: Map<string, string>; body: string }>((resolve, reject) => {
        const socket = net.connect(port, '127.0.0.1', () => socket.end(text));
        let answer = '';
        socket.on('data', (chunk: Buffer) => (answer += chunk.toString('utf8')));
        socket.on('error', reject);
        socket.on('close', () => {
          const [head = '', body = ''] = answer.split('\r\n\r\n');
          const [statusLine = '', ...lines] = head.split('\r\n');
          const headers = new Map(lines.map((line) => [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]));
          resolve({ status: Number(statusLine.split(' ')[1]), headers, body });
        });
      });
    try {
      const cases = [
        { request: 'GET /healthz HTTP/1.1\r\nHost: x\r\nno colon here\r\n\r\n', status: 400, code: 'bad_request' },
        { request: 'FROB /healthz HTTP/1.1\r\nHost: x\r\n\r\n', status: 400, code: 'bad_request' },
        { request: `GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`, status: 431, code: 'header_fields_too_large' },
        { request: 'GET /healthz HTTP/1.1\r\n\r\n', status: 400, code: 'bad_request' },
        { request: 'GET /healthz HTTP/1.1\r\nHost: x\r\nHost: y\r\n\r\n', status: 400, code: 'bad_request' },
        { request: 'GET /healthz HTTP/1.1\r\nHost: x\r\nExpect: teapot\r\n\r\n', status: 417, code: 'expectation_failed' },
        { request: 'CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n', status: 405, code: 'method_not_allowed' },
      ];
      for (const { request: text, status, code } of cases) {
        const res = await raw(text);
        assert.equal(res.status, status, text.slice(0, 40));
        assert.equal(res.headers.get('content-type'), 'application/problem+json');
        assert.match(res.headers.get('content-security-policy') ?? '', /frame-ancestors 'none'/);
        assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
        assert.equal(res.headers.get('referrer-policy'), 'same-origin');
        const problem = JSON.parse(res.body) as { status: number; code: string; detail: string };
        assert.deepEqual([problem.status, problem.code], [status, code]);
        if (status === 405) assert.ok(res.headers.get('allow'), 'a 405 names the methods it takes');
        assert.doesNotMatch(res.body, /HPE_|at [\w.]+ \(/);
      }
      // The server goes on serving well-formed requests; HTTP/1.0 needs no Host.
      assert.equal((await raw('GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n')).status, 200);
      assert.equal((await raw('GET /healthz HTTP/1.0\r\n\r\n')).status, 200);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('answers 503 on /readyz once the database is gone', async () => {
    await t.db.destroy();
    const res = await request(t.app).get('/readyz');
    assert.equal(res.status, 503);
  });
});
