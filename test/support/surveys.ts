/** Sent surveys for page tests: a trigger through the API, then one capture-mode worker pass. */
import { postTrigger, type TestApp } from './app';
import { buildTrigger, type TriggerBody } from './triggers';

export interface SentSurvey {
  readonly token: string;
  readonly surveyId: string;
  readonly interactionId: string;
}

/** Needs an app in capture mode (no SMTP_URL) with SURVEY_DELAY_SECONDS=0. */
export async function sendSurvey(t: TestApp, overrides: TriggerBody = {}): Promise<SentSurvey> {
  const res = await postTrigger(t, buildTrigger(overrides, t.clock()));
  if (res.status !== 201 || res.body.survey.status !== 'scheduled') throw new Error(`trigger not scheduled: ${res.status} ${JSON.stringify(res.body)}`);
  await t.worker().runOnce();
  const row = await t.db('outbox_messages').where({ survey_id: res.body.survey.id }).first('text');
  const token = /\/s\/([A-Za-z0-9_-]{43})/.exec(row?.text ?? '')?.[1];
  if (!token) throw new Error('no survey link in the captured email');
  return { token, surveyId: res.body.survey.id, interactionId: res.body.id };
}
