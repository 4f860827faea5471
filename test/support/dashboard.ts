/** Dashboard test helpers: users, signed-in supertest agents, and the hidden form fields of a page. */
import assert from 'node:assert/strict';
import request from 'supertest';
import { createUser, type Role } from '../../src/accounts/users';
import type { TestApp } from './app';

export const PASSWORD = 'correct horse battery staple';

let users = 0;

/** Creates a user with PASSWORD and returns its email. */
export async function addUser(t: Pick<TestApp, 'db' | 'clock'>, role: Role, name?: string): Promise<{ id: string; email: string }> {
  const email = `${role}${++users}@example.com`;
  const { id } = await createUser(t.db, t.clock, { email, role, password: PASSWORD, ...(name ? { name } : {}) });
  return { id, email };
}

/** The value of a hidden input in an HTML page (the first one with that name). */
export function hiddenField(html: string, name: string): string {
  const match = new RegExp(`<input type="hidden" name="${name}" value="([^"]*)"`).exec(html);
  assert.ok(match, `the page has a hidden ${name} field`);
  return (match[1] ?? '').replace(/&#34;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

/** The CSRF token a page carries for its forms. */
export function csrfOf(html: string): string {
  return hiddenField(html, '_csrf');
}

/** A supertest agent (keeps cookies) signed in as a new user of that role. */
export async function signedIn(t: TestApp, role: Role): Promise<{ agent: ReturnType<typeof request.agent>; email: string; id: string; csrf: () => Promise<string> }> {
  const user = await addUser(t, role);
  const agent = request.agent(t.app);
  const page = await agent.get('/login').expect(200);
  await agent.post('/login').type('form').send({ _csrf: csrfOf(page.text), email: user.email, password: PASSWORD }).expect(303);
  return { agent, ...user, csrf: async () => csrfOf((await agent.get('/').expect(200)).text) };
}
