import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { COMMENTS, moodOf, type DemoLocale } from '../../src/demo/comments';
import { allocate, demoDays } from '../../src/demo/demo-calendar';
import { defaultAgentCount } from '../../src/demo/demo-directory';
import { createDemoModel, type DemoInteraction, type DemoPlan } from '../../src/demo/demo-model';
import { mulberry32 } from '../../src/demo/random';

const DAY_MS = 86_400_000;
const NOW = Date.UTC(2026, 10, 23, 15, 30);
const plan = (overrides: Partial<DemoPlan> = {}): DemoPlan => ({ interactions: 20_000, days: 90, seed: 1, now: NOW, ...overrides });
const generate = (p: DemoPlan): DemoInteraction[] => [...createDemoModel(p).interactions()];

const big = generate(plan());
const sent = big.filter((i) => i.survey.status !== 'suppressed');
const responses = sent.flatMap((i) => (i.survey.status !== 'suppressed' && i.survey.response !== null ? [{ i, r: i.survey.response }] : []));

describe('demo model', () => {
  it('is deterministic: the same plan gives the same demo, another seed a different one', () => {
    const small = plan({ interactions: 2000, days: 30, seed: 42 });
    assert.deepEqual(generate(small), generate(small));
    assert.deepEqual(createDemoModel(small).agents, createDemoModel(small).agents);
    const model = createDemoModel(small);
    assert.deepEqual([...model.interactions()], [...model.interactions()], 'each stream starts over');
    assert.notDeepEqual(generate({ ...small, seed: 43 }).slice(0, 50), generate(small).slice(0, 50));
  });

  it('draws from a seeded generator in [0, 1)', () => {
    const a = mulberry32(7);
    const b = mulberry32(7);
    const draws = Array.from({ length: 1000 }, () => a());
    assert.deepEqual(draws, Array.from({ length: 1000 }, () => b()));
    assert.ok(draws.every((x) => x >= 0 && x < 1));
    assert.ok(Math.abs(draws.reduce((s, x) => s + x, 0) / draws.length - 0.5) < 0.05);
  });

  it('scales the agents with the volume: at least 8, 200 for a million', () => {
    assert.equal(defaultAgentCount(1), 8);
    assert.equal(defaultAgentCount(20_000), 8);
    assert.equal(defaultAgentCount(1_000_000), 200);
    assert.equal(createDemoModel(plan({ interactions: 1_000_000 })).agents.length, 200);
    const agents = createDemoModel(plan({ interactions: 1_000_000 })).agents;
    assert.equal(new Set(agents.map((a) => a.externalId)).size, 200);
    assert.equal(new Set(agents.map((a) => a.name)).size, 200);
    assert.deepEqual(new Set(agents.map((a) => a.team)), new Set([0, 1, 2, 3]));
  });

  it('splits counts exactly in proportion to weights', () => {
    assert.deepEqual(allocate(10, [1, 1, 2]), [3, 2, 5]);
    assert.deepEqual(allocate(0, [1, 2]), [0, 0]);
    assert.equal(allocate(1_000_003, [0.4, 1.1, 1, 0.9]).reduce((a, b) => a + b, 0), 1_000_003);
  });

  it('closes interactions in order over the last D days, never in the future, with consistent times', () => {
    assert.equal(big.length, 20_000);
    assert.deepEqual(big.map((i) => i.n), Array.from({ length: 20_000 }, (_, k) => k + 1));
    assert.equal(new Set(big.map((i) => i.externalId)).size, big.length);
    for (let k = 1; k < big.length; k++) assert.ok((big[k] as DemoInteraction).closedAt >= (big[k - 1] as DemoInteraction).closedAt);
    for (const i of big) {
      assert.ok(i.closedAt > NOW - 90 * DAY_MS && i.closedAt <= NOW, `closed_at ${i.closedAt}`);
      assert.ok(i.openedAt <= i.firstResponseAt && i.firstResponseAt <= i.closedAt);
      assert.ok([1, 2, 3].includes(i.contacts));
      assert.match(i.metadata.ticket_url, /^https:\/\/helpdesk\.example\.com\/tickets\/demo-1-\d+$/);
    }
    assert.deepEqual(new Set(big.map((i) => i.channel)), new Set(['chat', 'email', 'phone', 'whatsapp', 'web_form', 'social']));
    const firstContact = big.filter((i) => i.contacts === 1).length / big.length;
    assert.ok(firstContact > 0.6 && firstContact < 0.85, `first-contact share ${firstContact}`);
  });

  it('cuts days at local midnight in the report time zone, across daylight-saving changes', () => {
    const days = demoDays(NOW, 400, 'Europe/Madrid');
    assert.equal(days.length, 400);
    for (let k = 1; k < days.length; k++) assert.equal((days[k] as { start: number }).start, (days[k - 1] as { end: number }).end);
    assert.deepEqual([...new Set(days.slice(0, -1).map((d) => (d.end - d.start) / 3_600_000))].sort(), [23, 24, 25]);
    const clock = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Madrid', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    for (const d of days) assert.equal(clock.format(d.start), '00:00');
    assert.equal(days.at(-1)?.end, NOW);
  });

  it('closes most interactions during local office hours', () => {
    const hour = new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Jakarta', hour: '2-digit', hourCycle: 'h23' });
    const local = generate(plan({ interactions: 5000, days: 14, timeZone: 'Asia/Jakarta' }));
    const office = local.filter((i) => Number(hour.format(i.closedAt)) >= 8 && Number(hour.format(i.closedAt)) < 18).length;
    assert.ok(office / local.length > 0.6, `office-hours share ${office / local.length}`);
  });

  it('is busier on weekdays than at weekends', () => {
    const perDay = (weekend: boolean) => big.filter((i) => [0, 6].includes(new Date(i.closedAt).getUTCDay()) === weekend).length / (weekend ? 2 : 5);
    assert.ok(perDay(false) > 1.6 * perDay(true));
  });

  it('sends about 90 % of surveys and about 30 % of those are answered', () => {
    const sentShare = sent.length / big.length;
    assert.ok(sentShare >= 0.88 && sentShare <= 0.92, `sent ${sentShare}`);
    const rate = responses.length / sent.length;
    assert.ok(rate >= 0.26 && rate <= 0.34, `response rate ${rate}`);
    for (const i of big) if (i.survey.status === 'suppressed') assert.ok(['throttled', 'not_requested'].includes(i.survey.reason));
    for (const i of sent) {
      if (i.survey.status === 'suppressed') continue;
      const s = i.survey;
      assert.ok(s.sendAt >= i.closedAt && s.sentAt >= s.sendAt && s.sentAt <= NOW);
      assert.equal(s.expiresAt, s.sentAt + 30 * DAY_MS);
      assert.equal(s.status, s.expiresAt <= NOW ? 'expired' : 'sent');
    }
  });

  it('answers in range, sometimes leaving a question out, never all of them', () => {
    for (const { r, i } of responses) {
      assert.ok(r.csat === null || (Number.isInteger(r.csat) && r.csat >= 1 && r.csat <= 5));
      assert.ok(r.ces === null || (Number.isInteger(r.ces) && r.ces >= 1 && r.ces <= 7));
      assert.ok(r.nps === null || (Number.isInteger(r.nps) && r.nps >= 0 && r.nps <= 10));
      assert.ok(r.csat !== null || r.ces !== null || r.nps !== null || r.comment !== null);
      assert.equal(r.locale, i.locale);
      if (i.survey.status === 'suppressed') continue;
      assert.ok(r.firstSubmittedAt > i.survey.sentAt && r.firstSubmittedAt <= NOW && r.firstSubmittedAt < i.survey.expiresAt);
      assert.ok(r.updatedAt >= r.firstSubmittedAt);
    }
    for (const q of ['csat', 'ces', 'nps'] as const) assert.ok(responses.some(({ r }) => r[q] === null), `${q} is sometimes skipped`);
  });

  it('writes about a third of the comments, in the customer\u2019s language and matching the score', () => {
    const commented = responses.filter(({ r }) => r.comment !== null);
    const share = commented.length / responses.length;
    assert.ok(share > 0.3 && share < 0.4, `comment share ${share}`);
    assert.deepEqual(new Set(commented.map(({ r }) => r.locale)), new Set(['en', 'es', 'id']));
    const fits = (locale: DemoLocale, text: string, mood: 'happy' | 'neutral' | 'unhappy') =>
      COMMENTS[locale][mood].some((t) => new RegExp(`^${t.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace('{agent}', '\\S+')}$`).test(text));
    for (const { r } of commented) {
      if (r.csat === null) continue;
      assert.ok(fits(r.locale, r.comment as string, moodOf({ csat: r.csat, nps: null, ces: null })), `"${r.comment}" for CSAT ${r.csat}`);
    }
  });

  it('mixes customers of three languages, some of them returning, with example.com addresses', () => {
    const fresh = big.flatMap((i) => (i.newCustomer === null ? [] : [i.newCustomer]));
    assert.ok(fresh.length < big.length * 0.85 && fresh.length > big.length * 0.5, `${fresh.length} customers`);
    assert.equal(new Set(fresh.map((c) => c.email)).size, fresh.length);
    assert.ok(fresh.every((c) => /^customer\d+@example\.com$/.test(c.email)));
    const share = (l: string) => fresh.filter((c) => c.locale === l).length / fresh.length;
    for (const l of ['en', 'es', 'id']) assert.ok(share(l) > 0.15, `${l} ${share(l)}`);
    const other = createDemoModel(plan({ interactions: 50, seed: 2 }));
    const first = [...other.interactions()].find((i) => i.newCustomer !== null);
    assert.match(first?.newCustomer?.email ?? '', /^customer\d+\+s2@example\.com$/);
  });

  it('gives agents different mean CSAT, better for more skilled agents', () => {
    const { agents } = createDemoModel(plan());
    const byAgent = agents.map(() => ({ sum: 0, n: 0 }));
    for (const { i, r } of responses) {
      if (r.csat === null) continue;
      const a = byAgent[i.agent] as { sum: number; n: number };
      a.sum += r.csat;
      a.n += 1;
    }
    const means = byAgent.map((a) => a.sum / a.n);
    assert.ok(Math.max(...means) - Math.min(...means) > 0.3, `agent means ${means.map((m) => m.toFixed(2)).join(' ')}`);
    const bySkill = agents.map((a, k) => ({ skill: a.skill, mean: means[k] as number })).sort((a, b) => a.skill - b.skill);
    assert.ok((bySkill.at(-1)?.mean ?? 0) > (bySkill[0]?.mean ?? 0));
  });
});
