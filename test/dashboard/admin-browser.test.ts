import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { postTrigger, startTestApp, type TestApp } from '../support/app';
import { axeViolations, chromiumAvailable, launchBrowser, SCREENSHOT_DIR } from '../support/browser';
import { serveOnLoopback, type ServedApp } from '../support/net';
import { addUser, PASSWORD } from '../support/dashboard';
import { sendSurvey } from '../support/surveys';
import { buildTrigger } from '../support/triggers';

describe('Outbox and Settings in Chromium', { skip: chromiumAvailable ? false : 'Chromium is not installed (/usr/bin/chromium)' }, () => {
  let t: TestApp;
  let server: ServedApp;
  let base: string;
  let browser: Browser;
  let outboxId: string;
  let admin: { email: string };

  before(async () => {
    t = await startTestApp('sqlite', { SURVEY_DELAY_SECONDS: '0', SURVEY_THROTTLE_DAYS: '0', MAIL_FROM: 'Acme Support <csat@acme.test>' });
    server = await serveOnLoopback(t.app);
    base = server.base;
    browser = await launchBrowser();
    admin = await addUser(t, 'admin', 'Ada Admin');
    await addUser(t, 'lead', 'Lee Lead');
    const names = ['Carla Gómez', 'Budi Santoso', 'Ana Ruiz'];
    let last = '';
    for (const [i, name] of names.entries()) last = (await sendSurvey(t, { customer: { email: `customer${i}@example.org`, name, locale: i === 1 ? 'id' : 'en' } })).surveyId;
    // A few still waiting: a delay far in the future keeps them pending.
    for (let i = 0; i < 3; i++) await postTrigger(t, buildTrigger({ closed_at: new Date(t.clock() - 1000).toISOString(), customer: { email: `waiting${i}@example.org` } }, t.clock()));
    outboxId = (await t.db('outbox_messages').where({ survey_id: last }).first('id')).id;
  });
  after(async () => {
    await browser?.close();
    await server?.close();
    await t?.close();
  });

  /** A signed-in admin context, through the real login form. */
  const signIn = async (width: number): Promise<{ context: BrowserContext; page: Page }> => {
    const context = await browser.newContext({ viewport: { width, height: 900 } });
    const page = await context.newPage();
    page.on('request', (r) => assert.ok(r.url().startsWith(base), `external request to ${r.url()}`));
    await page.goto(`${base}/login`);
    await page.fill('#email', admin.email);
    await page.fill('#password', PASSWORD);
    await Promise.all([page.waitForURL(`${base}/`), page.click('button[type=submit]')]);
    return { context, page };
  };

  const check = async (page: Page, name: string): Promise<void> => {
    const violations = await axeViolations(page);
    assert.deepEqual(violations, [], `${name}: ${JSON.stringify(violations, null, 1)}`);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `${name} scrolls ${overflow} px sideways`);
  };

  for (const width of [1280, 390]) {
    it(`passes axe-core (WCAG 2.1 A/AA) on every Outbox and Settings page at ${width} px, without sideways scrolling`, async () => {
      const { context, page } = await signIn(width);
      try {
        await page.goto(`${base}/outbox`);
        assert.match(await page.locator('h1').innerText(), /Outbox/);
        await check(page, 'outbox');
        await page.screenshot({ path: path.join(SCREENSHOT_DIR, `dashboard-outbox-${width}.png`), fullPage: true });

        await page.goto(`${base}/outbox/${outboxId}`);
        assert.equal(await page.locator('pre.mail').count(), 1);
        await check(page, 'outbox message');

        await page.goto(`${base}/settings`);
        await check(page, 'settings');
        await page.screenshot({ path: path.join(SCREENSHOT_DIR, `dashboard-settings-${width}.png`), fullPage: true });

        // A refused form: the messages are tied to their fields and still pass axe.
        await page.fill('#delay_seconds', 'soon');
        const [refused] = await Promise.all([page.waitForResponse((r) => r.request().method() === 'POST'), page.click('#policy button[type=submit] >> nth=0')]);
        assert.equal(refused.status(), 422);
        assert.equal(await page.locator('#delay_seconds').getAttribute('aria-describedby'), 'delay_seconds-error delay_seconds-hint');
        await check(page, 'settings with errors');

        await page.goto(`${base}/settings/api-keys`);
        await check(page, 'api keys');
        await page.fill('#name', `Browser ${width}`);
        await Promise.all([page.waitForLoadState(), page.click('form[action="/settings/api-keys"] button')]);
        assert.match(await page.locator('#new-key').inputValue(), /^rk_/);
        await check(page, 'api key created');

        await page.goto(`${base}/settings/users`);
        await check(page, 'users');
      } finally {
        await context.close();
      }
    });
  }

  it('opens the HTML preview of a captured email in its sandbox, where script does not run', async () => {
    const { context, page } = await signIn(1280);
    try {
      await page.goto(`${base}/outbox/${outboxId}`);
      const [response] = await Promise.all([page.waitForResponse((r) => r.url().endsWith('/preview')), page.click('text=Open the HTML version')]);
      assert.match(response.headers()['content-security-policy'] ?? '', /^sandbox;/);
      assert.match(await page.locator('body').innerText(), /Ana/);
      // The sandbox gives the page an opaque origin: it cannot reach the dashboard's cookies or storage.
      assert.equal(await page.evaluate(() => window.origin), 'null');
    } finally {
      await context.close();
    }
  });
});
