import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { renderSurveyEmail } from '../../src/surveys/render-survey-email';
import { defaultBranding } from '../../src/surveys/survey-settings';
import { chromiumAvailable, launchBrowser, SCREENSHOT_DIR } from '../support/browser';

const email = (firstQuestion: 'csat' | 'nps', locale: 'en' | 'es' = 'en') =>
  renderSurveyEmail({
    to: 'carla@example.org',
    customerName: 'Carla',
    locale,
    branding: { ...defaultBranding({ mailFrom: 'Acme Support <csat@acme.test>' }), accentColor: '#0b6e4f' },
    firstQuestion,
    token: 'T'.repeat(43),
    baseUrl: 'https://surveys.acme.test',
    fromAddress: 'csat@acme.test',
    messageId: '<survey-1@surveys.acme.test>',
  });

describe('survey email rendering', () => {
  it('escapes what customers and admins typed', () => {
    const rendered = renderSurveyEmail({
      to: 'x@example.org',
      customerName: '<script>alert(1)</script>',
      locale: 'en',
      branding: { companyName: 'A&B "Co"', accentColor: '#123456', logoUrl: null, senderName: 'Evil" <x@y>' },
      firstQuestion: 'csat',
      token: 'T'.repeat(43),
      baseUrl: 'https://s.test',
      fromAddress: 'csat@s.test',
      messageId: '<m@s.test>',
    });
    assert.ok(!rendered.html.includes('<script>alert(1)</script>'));
    assert.match(rendered.html, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
    assert.match(rendered.html, /A&amp;B &#34;Co&#34;/);
    assert.equal(rendered.from, '"Evil\\" <x@y>" <csat@s.test>');
  });

  it('labels each one-click answer and both ends of the scale with words', () => {
    const nps = email('nps');
    assert.match(nps.html, /aria-label="0 – Not at all likely"/);
    assert.match(nps.html, /aria-label="10 – Extremely likely"/);
    assert.equal((nps.html.match(/\?nps=\d+"/g) ?? []).length, 11);
  });
});

describe('survey email in Chromium', { skip: chromiumAvailable ? false : 'Chromium is not installed (/usr/bin/chromium)' }, () => {
  let browser: Browser;
  before(async () => {
    browser = await launchBrowser();
  });
  after(async () => browser?.close());

  for (const [width, question, locale] of [
    [360, 'csat', 'en'],
    [800, 'csat', 'en'],
    [360, 'nps', 'es'],
  ] as const) {
    it(`fits a ${width} px wide screen without sideways scrolling (${question}, ${locale})`, async () => {
      const page = await browser.newPage({ viewport: { width, height: 900 } });
      try {
        await page.setContent(email(question, locale).html, { waitUntil: 'load' });
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        assert.ok(overflow <= 0, `scrolls ${overflow} px sideways`);
        const buttons = await page.locator('a[aria-label]').evaluateAll((links) => links.map((a) => (a as HTMLElement).getBoundingClientRect().width));
        assert.equal(buttons.length, question === 'csat' ? 5 : 11);
        assert.ok(Math.min(...buttons) >= 24, `every button is at least 24 px wide: ${buttons.join(', ')}`);
        await page.screenshot({ path: path.join(SCREENSHOT_DIR, `email-${question}-${locale}-${width}.png`), fullPage: true });
      } finally {
        await page.close();
      }
    });
  }
});
