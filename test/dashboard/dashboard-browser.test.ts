import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { issueSetupLink } from '../../src/cli/setup-link';
import { loadDemo } from '../../src/demo/load-demo';
import { startTestApp, type TestApp } from '../support/app';
import { axeViolations, chromiumAvailable, launchBrowser, SCREENSHOT_DIR } from '../support/browser';
import { serveOnLoopback, type ServedApp } from '../support/net';
import { PASSWORD } from '../support/dashboard';

describe('the dashboard in Chromium', { skip: chromiumAvailable ? false : 'Chromium is not installed (/usr/bin/chromium)' }, () => {
  let t: TestApp;
  let server: ServedApp;
  let base: string;
  let browser: Browser;
  let setupLink: string;

  before(async () => {
    t = await startTestApp('sqlite', { PUBLIC_RATE_LIMIT_PER_MINUTE: '0' });
    server = await serveOnLoopback(t.app);
    base = server.base;
    setupLink = (await issueSetupLink(t.runtime))?.replace(t.config.baseUrl, base) ?? '';
    await loadDemo(t.db, { interactions: 4000, days: 75, seed: 11, now: Date.now() });
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await server?.close();
    await t?.close();
  });

  const newPage = async (width: number, storageState?: Awaited<ReturnType<Page['context']>>['storageState'] extends () => Promise<infer S> ? S : never): Promise<Page> => {
    const context = await browser.newContext({ viewport: { width, height: 900 }, javaScriptEnabled: true, ...(storageState ? { storageState } : {}) });
    const page = await context.newPage();
    page.on('request', (r) => assert.ok(r.url().startsWith(base), `external request to ${r.url()}`));
    return page;
  };

  const expectAccessible = async (page: Page, what: string): Promise<void> => {
    const violations = await axeViolations(page);
    assert.deepEqual(violations.map((v) => `${v.id}: ${v.help} ${JSON.stringify(v.nodes.slice(0, 3))}`), [], `${what} has no axe violations`);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 0, `${what} does not scroll sideways (${overflow}px)`);
  };

  let session: Awaited<ReturnType<Awaited<ReturnType<Page['context']>>['storageState']>>;

  it('creates the first admin from the setup link and lands signed in on the overview', async () => {
    assert.ok(setupLink.includes('/setup?token='));
    const page = await newPage(1280);
    await page.goto(setupLink);
    await expectAccessible(page, 'setup');
    await page.fill('#name', 'Lea Lead');
    await page.fill('#email', 'lea@example.com');
    await page.fill('#password', PASSWORD);
    await page.fill('#password_confirm', PASSWORD);
    await page.click('button[type=submit]');
    await page.waitForURL(`${base}/`);
    assert.match(await page.textContent('.who') ?? '', /Lea Lead · admin/);
    await page.context().close();
  });

  it('signs in through the login form (a wrong password first) and shows the overview with demo data', async () => {
    const page = await newPage(1280);
    await page.goto(`${base}/responses`);
    assert.match(page.url(), /\/login\?next=%2Fresponses$/);
    await expectAccessible(page, 'login');
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'dashboard-login-1280.png') });
    await page.fill('#email', 'lea@example.com');
    await page.fill('#password', 'wrong password here');
    await page.click('button[type=submit]');
    assert.match(await page.textContent('[role=alert]') ?? '', /do not match/);
    await expectAccessible(page, 'login with an error');
    await page.fill('#password', PASSWORD);
    await page.click('button[type=submit]');
    await page.waitForURL(`${base}/responses`);
    session = await page.context().storageState();
    await page.goto(`${base}/`);
    const nps = await page.locator('[data-kpi=nps] .value data').getAttribute('value');
    assert.ok(nps !== null && nps !== '' && Number.isFinite(Number(nps)), 'the NPS card has a value');
    assert.equal(await page.locator('.chart svg .dot').count() > 20, true, 'a daily trend over 30 days');
    await expectAccessible(page, 'overview');
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'dashboard-overview-1280.png'), fullPage: true });
    await page.context().close();
  });

  it('filters the agents table by channel and sorts it, keeping the filter', async () => {
    const page = await newPage(1280, session);
    await page.goto(`${base}/agents`);
    await page.fill('#f-channel', 'phone');
    await page.click('form[aria-label="Report filters"] button[type=submit]');
    await page.waitForURL(/channel=phone/);
    await page.click('th a:has-text("CSAT")');
    await page.waitForURL(/sort=csat/);
    assert.match(page.url(), /channel=phone/);
    // The demo is generated relative to now, so how many agents clear KPI_MIN_RESPONSES on the phone in
    // the last 30 days moves with the hour (2 to 4 of them); every one of them is ranked, in order.
    const ranks = await page.locator('tbody tr:not(.insufficient) td:first-child').allTextContents();
    assert.ok(ranks.length >= 2, `${ranks.length} ranked agents`);
    assert.deepEqual(ranks, ranks.map((_, i) => String(i + 1)));
    await expectAccessible(page, 'agents');
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'dashboard-agents-1280.png'), fullPage: true });
    const agentLink = page.locator('tbody td.text a').first();
    await agentLink.click();
    await page.waitForURL(/\/agents\/[^?]+\?/);
    await expectAccessible(page, 'agent page');
    for (const p of ['/teams', '/channels']) {
      await page.goto(`${base}${p}`);
      await expectAccessible(page, p);
    }
    await page.context().close();
  });

  it('follows up a detractor from the queue', async () => {
    const page = await newPage(1280, session);
    await page.goto(`${base}/responses?queue=1`);
    await expectAccessible(page, 'follow-up queue');
    const first = page.locator('li.verbatim').first();
    const id = (await first.getAttribute('id')) ?? '';
    await first.locator('select[name=status]').selectOption('contacted');
    await first.locator('textarea[name=note]').fill('Called back, replacement sent');
    await first.locator('button:has-text("Save follow-up")').click();
    await page.waitForLoadState();
    assert.equal(await page.locator(`#${id}`).count(), 0, 'no longer open');
    await page.goto(`${base}/responses?follow_up=contacted`);
    assert.match(await page.locator(`#${id}`).textContent() ?? '', /Called back, replacement sent/);
    await page.goto(`${base}/responses?band=unhappy&has_comment=1`);
    await expectAccessible(page, 'responses');
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'dashboard-responses-1280.png') });
    await page.context().close();
  });

  it('reads well on a 390 px phone', async () => {
    const page = await newPage(390, session);
    for (const [p, name] of [['/', 'overview'], ['/agents', 'agents'], ['/responses?queue=1', 'responses']] as const) {
      await page.goto(`${base}${p}`);
      await expectAccessible(page, `${name} at 390 px`);
      await page.screenshot({ path: path.join(SCREENSHOT_DIR, `dashboard-${name}-390.png`), fullPage: name !== 'responses' });
    }
    await page.context().close();
  });
});
