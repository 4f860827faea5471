import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { ConfigError, loadConfig } from '../../src/config/config';

describe('configuration', () => {
  it('has the contract defaults when nothing is set', () => {
    const c = loadConfig({});
    assert.equal(c.port, 3000);
    assert.equal(c.host, '127.0.0.1');
    assert.equal(c.baseUrl, 'http://localhost:3000');
    assert.deepEqual(c.database, { client: 'sqlite', filename: path.resolve('data/rapport.sqlite') });
    assert.equal(c.smtpUrl, null);
    assert.equal(c.mailFrom, 'Rapport <surveys@localhost>');
    assert.equal(c.sessionSecret, null);
    assert.equal(c.surveyDelaySeconds, 600);
    assert.equal(c.surveyThrottleDays, 7);
    assert.equal(c.surveyExpiryDays, 30);
    assert.equal(c.surveyMaxAgeDays, 3);
    assert.equal(c.kpiMinResponses, 10);
    assert.equal(c.reportTimezone, 'UTC');
    assert.equal(c.apiRateLimitPerMinute, 6000);
    assert.equal(c.publicRateLimitPerMinute, 300);
    assert.equal(c.trustProxy, false);
  });

  it('reads every variable', () => {
    const c = loadConfig({
      PORT: '8080',
      HOST: '0.0.0.0',
      BASE_URL: 'https://surveys.example.com/',
      DATABASE_URL: 'postgres://u@db:5432/rapport',
      SMTP_URL: 'smtps://user:pass@mail.example.com:465',
      MAIL_FROM: 'Acme <csat@example.com>',
      SESSION_SECRET: 's'.repeat(40),
      SURVEY_DELAY_SECONDS: '0',
      SURVEY_THROTTLE_DAYS: '0',
      SURVEY_EXPIRY_DAYS: '14',
      SURVEY_MAX_AGE_DAYS: '1',
      KPI_MIN_RESPONSES: '25',
      REPORT_TIMEZONE: 'America/Sao_Paulo',
      API_RATE_LIMIT_PER_MINUTE: '0',
      PUBLIC_RATE_LIMIT_PER_MINUTE: '60',
      TRUST_PROXY: 'loopback',
    });
    assert.equal(c.port, 8080);
    assert.equal(c.baseUrl, 'https://surveys.example.com');
    assert.deepEqual(c.database, { client: 'pg', url: 'postgres://u@db:5432/rapport' });
    assert.equal(c.smtpUrl, 'smtps://user:pass@mail.example.com:465');
    assert.equal(c.surveyDelaySeconds, 0);
    assert.equal(c.surveyExpiryDays, 14);
    assert.equal(c.reportTimezone, 'America/Sao_Paulo');
    assert.equal(c.apiRateLimitPerMinute, 0);
    assert.equal(c.trustProxy, 'loopback');
    assert.equal(loadConfig({ TRUST_PROXY: '1' }).trustProxy, 1);
    assert.equal(loadConfig({ TRUST_PROXY: 'loopback, 10.0.0.0/8, fd00::/8, 192.168.0.1/255.255.255.0' }).trustProxy, 'loopback, 10.0.0.0/8, fd00::/8, 192.168.0.1/255.255.255.0');
    assert.equal(loadConfig({ MAIL_FROM: 'surveys@localhost' }).mailFrom, 'surveys@localhost');
    assert.equal(loadConfig({ BASE_URL: 'http://x.test' }).baseUrl, 'http://x.test');
    assert.equal(loadConfig({ PORT: '4000' }).baseUrl, 'http://localhost:4000');
  });

  it('takes DATA_DIR and sqlite: URLs for the SQLite file', () => {
    assert.deepEqual(loadConfig({ DATA_DIR: '/var/lib/rapport' }).database, { client: 'sqlite', filename: '/var/lib/rapport/rapport.sqlite' });
    assert.deepEqual(loadConfig({ DATABASE_URL: 'sqlite:/tmp/r.sqlite' }).database, { client: 'sqlite', filename: '/tmp/r.sqlite' });
  });

  const bad: [string, string][] = [
    ['PORT', 'eighty'],
    ['PORT', '70000'],
    ['BASE_URL', 'localhost:3000'],
    ['BASE_URL', 'ftp://example.com'],
    ['DATABASE_URL', 'mysql://db/rapport'],
    ['SMTP_URL', 'mail.example.com'],
    ['SESSION_SECRET', 'short'],
    ['SURVEY_DELAY_SECONDS', '-1'],
    ['SURVEY_THROTTLE_DAYS', '1.5'],
    ['SURVEY_EXPIRY_DAYS', '0'],
    ['SURVEY_MAX_AGE_DAYS', 'three'],
    ['KPI_MIN_RESPONSES', '10x'],
    ['REPORT_TIMEZONE', 'Mars/Olympus_Mons'],
    ['API_RATE_LIMIT_PER_MINUTE', 'lots'],
    ['PUBLIC_RATE_LIMIT_PER_MINUTE', '-5'],
    ['LOG_LEVEL', 'loud'],
    ['TRUST_PROXY', 'garbage'],
    ['TRUST_PROXY', '10.0.0.0/99'],
    ['TRUST_PROXY', 'loopback, nonsense'],
    ['TRUST_PROXY', '10.0.0.0/255.0.255.0'],
    ['MAIL_FROM', 'notanaddress'],
    ['MAIL_FROM', 'Rapport <not an address>'],
  ];
  for (const [variable, value] of bad) {
    it(`rejects ${variable}=${value} naming the variable`, () => {
      assert.throws(
        () => loadConfig({ [variable]: value }),
        (error: unknown) => error instanceof ConfigError && error.variable === variable && error.message.startsWith(`${variable}: `),
      );
    });
  }
});
