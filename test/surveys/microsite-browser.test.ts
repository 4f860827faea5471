import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { startTestApp, type TestApp } from '../support/app';
import { axeViolations, chromiumAvailable, launchBrowser, SCREENSHOT_DIR } from '../support/browser';
import { serveOnLoopback, type ServedApp } from '../support/net';
import { sendSurvey, type SentSurvey } from '../support/surveys';

const DAY = 86_400_000;

describe('survey pages in Chromium', { skip: chromiumAvailable ? false : 'Chromium is not installed (/usr/bin/chromium)' }, () => {
  let t: TestApp;
  let server: ServedApp;
  let base: string;
  let browser: Browser;
  let survey: SentSurvey;

  before(async () => {
    t = await startTestApp('sqlite', { SURVEY_DELAY_SECONDS: '0', SURVEY_THROTTLE_DAYS: '0', MAIL_FROM: 'Acme Support <csat@acme.test>' });
    server = await serveOnLoopback(t.app);
    base = server.base;
    browser = await launchBrowser();
    survey = await sendSurvey(t, { customer: { email: 'ana@example.org', name: 'Ana', locale: 'en' } });
  });
  after(async () => {
    await browser?.close();
    await server?.close();
    await t?.close();
  });

  /** axe-core needs JavaScript; the keyboard test turns it off to prove the pages need none. */
  const openPage = async (width: number, javaScriptEnabled = true): Promise<Page> => {
    const context = await browser.newContext({ viewport: { width, height: 800 }, javaScriptEnabled });
    const page = await context.newPage();
    // No external requests: anything leaving the app's origin fails the test.
    page.on('request', (r) => assert.ok(r.url().startsWith(base), `external request to ${r.url()}`));
    return page;
  };

  const noSidewaysScroll = async (page: Page): Promise<void> => {
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `the page scrolls ${overflow} px sideways`);
  };

  const expectAccessible = async (page: Page, name: string): Promise<void> => {
    const violations = await axeViolations(page);
    assert.deepEqual(violations, [], `${name}: ${JSON.stringify(violations, null, 1)}`);
  };

  it('opens an emailed one-click link with the answer chosen, and is submitted by keyboard alone, without JavaScript', async () => {
    const page = await openPage(360, false);
    await page.goto(`${base}/s/${survey.token}?csat=5`);
    assert.equal(await page.locator('input[name=csat][value="5"]').isChecked(), true);
    await noSidewaysScroll(page);

    const focused = () => page.evaluate(() => {
      const el = document.activeElement as HTMLInputElement | null;
      return el ? `${el.tagName.toLowerCase()}:${el.name}:${el.value ?? ''}` : '';
    });
    await page.keyboard.press('Tab');
    assert.equal(await focused(), 'input:csat:5', 'Tab lands on the chosen CSAT answer');
    await page.keyboard.press('Tab');
    assert.match(await focused(), /^input:ces:/);
    await page.keyboard.press('Space');
    for (let i = 0; i < 5; i++) await page.keyboard.press('ArrowRight');
    await page.keyboard.press('Tab');
    assert.match(await focused(), /^input:nps:/);
    await page.keyboard.press('Space');
    for (let i = 0; i < 9; i++) await page.keyboard.press('ArrowRight');
    await page.keyboard.press('Tab');
    assert.equal(await focused(), 'textarea:comment:');
    await page.keyboard.type('Ana sorted it out in minutes.');
    await page.keyboard.press('Tab');
    assert.match(await focused(), /^button:/);
    await Promise.all([page.waitForURL(`${base}/s/${survey.token}/thanks`), page.keyboard.press('Enter')]);

    const row = await t.db('responses').where({ survey_id: survey.surveyId }).first();
    assert.deepEqual([row.csat, row.ces, row.nps, row.comment], [5, 6, 9, 'Ana sorted it out in minutes.']);
    assert.match(await page.locator('h1').innerText(), /Thank you!/);
    await noSidewaysScroll(page);
    await page.context().close();
  });

  it('passes axe-core (WCAG 2.1 A and AA) on the survey and thank-you pages at 360 px', async () => {
    const fresh = await sendSurvey(t, { customer: { email: 'axe@example.org', name: 'Ana', locale: 'en' } });
    const page = await openPage(360);
    await page.goto(`${base}/s/${fresh.token}?csat=4`);
    await expectAccessible(page, 'survey page');
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'survey-360.png'), fullPage: true });
    await Promise.all([page.waitForURL(`${base}/s/${fresh.token}/thanks`), page.locator('button[type=submit]').click()]);
    await expectAccessible(page, 'thank-you page');
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'survey-thanks-360.png'), fullPage: true });
    await page.context().close();
  });

  it('reads well at 1280 px and shows focus', async () => {
    const page = await openPage(1280);
    await page.goto(`${base}/s/${survey.token}`);
    await page.keyboard.press('Tab');
    const outline = await page.evaluate(() => {
      const span = (document.activeElement as HTMLElement).nextElementSibling as HTMLElement;
      return getComputedStyle(span).outlineStyle;
    });
    assert.equal(outline, 'solid', 'the focused answer has a visible outline');
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'survey-1280.png'), fullPage: true });
    await page.context().close();
  });

  it('shows errors tied to their questions on the 422 page, accessibly', async () => {
    const page = await openPage(360);
    await page.goto(`${base}/s/${survey.token}`);
    // A tampered form: the browser cannot pick 11, so change the value the way a script might.
    await page.evaluate(() => {
      const input = document.querySelector('input[name=nps]') as HTMLInputElement;
      input.value = '11';
      input.checked = true;
    });
    const [response] = await Promise.all([page.waitForResponse((r) => r.request().method() === 'POST'), page.locator('button[type=submit]').click()]);
    assert.equal(response.status(), 422);
    assert.match(await page.locator('#nps-error').innerText(), /Choose one of the options shown/);
    assert.equal(await page.locator('#q-nps').getAttribute('aria-describedby'), 'nps-error');
    await noSidewaysScroll(page);
    await expectAccessible(page, 'error page');
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'survey-error-360.png'), fullPage: true });
    await page.context().close();
  });

  it('has friendly, accessible 404 and 410 pages', async () => {
    const page = await openPage(360);
    const missing = await page.goto(`${base}/s/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA`);
    assert.equal(missing?.status(), 404);
    await expectAccessible(page, '404 page');
    const late = await sendSurvey(t, { customer: { email: 'late@example.org', locale: 'es' } });
    t.clock.set(Date.now() + 31 * DAY);
    try {
      const expired = await page.goto(`${base}/s/${late.token}`);
      assert.equal(expired?.status(), 410);
      assert.match(await page.locator('h1').innerText(), /Esta encuesta está cerrada/);
      await expectAccessible(page, '410 page');
      await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'survey-410-360.png'), fullPage: true });
    } finally {
      t.clock.set(Date.now());
    }
    await page.context().close();
  });
});
