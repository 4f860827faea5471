/** Helpers for the Settings and Outbox tests: form posts with a page's CSRF token, and stored-state snapshots. */
import request from 'supertest';
import type { TestApp } from './app';
import { csrfOf } from './dashboard';

type Agent = ReturnType<typeof request.agent>;

/** Posts a form as the page at `from` would: with that page's CSRF token unless `_csrf` is given. */
export async function postForm(agent: Agent, path: string, fields: Record<string, string | string[]> = {}, from = '/outbox'): Promise<request.Response> {
  const page = await agent.get(from);
  const body = new URLSearchParams();
  if (!('_csrf' in fields)) body.append('_csrf', csrfOf(page.text));
  for (const [name, value] of Object.entries(fields)) for (const v of Array.isArray(value) ? value : [value]) body.append(name, v);
  return agent.post(path).type('form').send(body.toString());
}

/** Every stored setting except the session secret and setup token, to prove a refused form changed nothing. */
export async function surveySettingsRows(t: Pick<TestApp, 'db'>): Promise<Record<string, string>> {
  const rows = (await t.db('settings').whereIn('key', ['survey.policy', 'survey.questions', 'branding']).select('key', 'value')) as { key: string; value: string }[];
  return Object.fromEntries(rows.map((r) => [r.key, r.value]));
}

/** The stored rows of the accounts tables, to prove a refused form changed nothing. */
export async function accountRows(t: Pick<TestApp, 'db'>): Promise<string> {
  const users = await t.db('users').select('id', 'email', 'role', 'disabled_at').orderBy('id');
  const keys = await t.db('api_keys').select('id', 'revoked_at').orderBy('id');
  const sessions = await t.db('sessions').count({ n: '*' }).first();
  return JSON.stringify({ users, keys, sessions: Number(sessions?.n ?? 0) });
}

/** An anonymous agent and the CSRF token of its login page (a valid token for posts without a session). */
export async function anonymous(t: Pick<TestApp, 'app'>): Promise<{ agent: Agent; csrf: string }> {
  const agent = request.agent(t.app);
  const page = await agent.get('/login');
  return { agent, csrf: csrfOf(page.text) };
}
