import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decideSurvey, sendMoment, throttleWindowStart, type SurveyPolicy } from '../../src/surveys/decide-survey';
import { mergePolicy, textOnAccent } from '../../src/surveys/survey-settings';

const DAY = 86_400_000;
const policy: SurveyPolicy = { delaySeconds: 600, throttleDays: 7, maxAgeDays: 3, expiryDays: 30 };
const now = Date.parse('2026-11-20T12:00:00Z');

describe('survey decision', () => {
  it('schedules at closed_at + delay when that is still ahead', () => {
    assert.deepEqual(decideSurvey(policy, { now, closedAt: now - 60_000, requested: true, unsubscribed: false }), { status: 'scheduled', sendAt: now - 60_000 + 600_000 });
  });

  it('schedules at once when closed_at + delay has passed, or with no delay', () => {
    assert.equal(sendMoment(policy, now - DAY, now), now);
    assert.equal(sendMoment({ ...policy, delaySeconds: 0 }, now - 1, now), now);
  });

  it('gives the first reason that applies: not_requested, unsubscribed, too_old', () => {
    const ancient = now - 10 * DAY;
    assert.deepEqual(decideSurvey(policy, { now, closedAt: ancient, requested: false, unsubscribed: true }), { status: 'suppressed', reason: 'not_requested' });
    assert.deepEqual(decideSurvey(policy, { now, closedAt: ancient, requested: true, unsubscribed: true }), { status: 'suppressed', reason: 'unsubscribed' });
    assert.deepEqual(decideSurvey(policy, { now, closedAt: ancient, requested: true, unsubscribed: false }), { status: 'suppressed', reason: 'too_old' });
  });

  it('counts a trigger exactly SURVEY_MAX_AGE_DAYS old as recent enough', () => {
    assert.equal(decideSurvey(policy, { now, closedAt: now - 3 * DAY, requested: true, unsubscribed: false }).status, 'scheduled');
    assert.equal(decideSurvey(policy, { now, closedAt: now - 3 * DAY - 1, requested: true, unsubscribed: false }).status, 'suppressed');
  });

  it('looks back SURVEY_THROTTLE_DAYS from the send moment, or not at all when 0', () => {
    assert.equal(throttleWindowStart(policy, now), now - 7 * DAY);
    assert.equal(throttleWindowStart({ ...policy, throttleDays: 0 }, now), null);
  });

  it('merges settings overrides field by field and ignores invalid ones', () => {
    assert.deepEqual(mergePolicy(policy, { delaySeconds: 0, throttleDays: 'x', expiryDays: 0 }), { delaySeconds: 0, throttleDays: 7, maxAgeDays: 3, expiryDays: 1 });
    assert.deepEqual(mergePolicy(policy, null), policy);
  });
});

describe('branding', () => {
  it('puts white text on dark accents and dark text on light ones', () => {
    assert.equal(textOnAccent('#2453a6'), '#ffffff');
    assert.equal(textOnAccent('#0b6e4f'), '#ffffff');
    assert.equal(textOnAccent('#ffd400'), '#1f2430');
    assert.equal(textOnAccent('#ffffff'), '#1f2430');
  });
});
