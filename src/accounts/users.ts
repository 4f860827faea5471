/** Dashboard users. Passwords are hashed with argon2id (library defaults: 64 MiB, t=3, p=4). */
import { randomUUID } from 'node:crypto';
import argon2 from 'argon2';
import { z } from 'zod';
import type { Db } from '../db/knex';
import { runTransaction } from '../db/transaction';
import type { Clock } from '../clock';
import { Conflict, NotFound, ValidationFailed } from '../errors';
import { endSessionsOf } from './sessions';

export const ROLES = ['admin', 'lead'] as const;
export type Role = (typeof ROLES)[number];

export const MIN_PASSWORD_LENGTH = 12;

const newUser = z.object({
  email: z.email().max(254).transform((e) => e.toLowerCase()),
  role: z.enum(ROLES),
  name: z.string().trim().min(1).max(200).refine((n) => !Array.from(n).some((c) => c < ' ' || c === '\u007f'), 'must not contain control characters').optional(),
  password: z.string().min(MIN_PASSWORD_LENGTH, `must be at least ${MIN_PASSWORD_LENGTH} characters`).max(1024),
});

export type NewUser = z.input<typeof newUser>;

export async function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, { type: argon2.argon2id });
}

export async function createUser(db: Db, clock: Clock, input: NewUser): Promise<{ id: string }> {
  const parsed = newUser.safeParse(input);
  if (!parsed.success) {
    throw new ValidationFailed(parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })));
  }
  const { email, role, name, password } = parsed.data;
  if (await db('users').where({ email }).first('id')) throw new Conflict('A user with this email already exists.');
  const id = randomUUID();
  const now = clock();
  await db('users').insert({ id, email, role, name: name ?? null, password_hash: await hashPassword(password), created_at: now, updated_at: now });
  return { id };
}

export async function countUsers(db: Db): Promise<number> {
  const row = (await db('users').count({ n: '*' }).first()) as { n: number | string } | undefined;
  return Number(row?.n ?? 0);
}

/** A dashboard user as the Users page lists it (never the password hash). */
export interface UserSummary {
  readonly id: string;
  readonly email: string;
  readonly name: string | null;
  readonly role: Role;
  readonly createdAt: number;
  readonly lastLoginAt: number | null;
  readonly disabledAt: number | null;
}

interface UserRow {
  id: string;
  email: string;
  name: string | null;
  role: Role;
  created_at: number;
  last_login_at: number | null;
  disabled_at: number | null;
}

/** Every user, admins first, then by email. */
export async function listUsers(db: Db): Promise<UserSummary[]> {
  const rows = (await db('users').select('id', 'email', 'name', 'role', 'created_at', 'last_login_at', 'disabled_at').orderBy([{ column: 'role' }, { column: 'email' }])) as UserRow[];
  return rows.map((r) => ({
    id: r.id,
    email: r.email,
    name: r.name,
    role: r.role,
    createdAt: Number(r.created_at),
    lastLoginAt: r.last_login_at === null ? null : Number(r.last_login_at),
    disabledAt: r.disabled_at === null ? null : Number(r.disabled_at),
  }));
}

/** What an admin changes about another account: enable/disable it, or give it another role. */
export type AccessChange = { readonly disabled: boolean } | { readonly role: Role };

/**
 * Changes a user's access on behalf of `actorId`, keeping at least one active admin: an admin cannot
 * disable themself, nor disable or demote the last active admin. Throws NotFound for an unknown user
 * and Conflict when a rule forbids the change. Disabling ends the user's sessions in the same transaction,
 * so an open browser loses access at its next request.
 */
export async function changeUserAccess(db: Db, clock: Clock, actorId: string, userId: string, change: AccessChange): Promise<void> {
  await runTransaction(db, async (trx) => {
    // Lock the active admins first: two admins demoting each other at once must not both succeed.
    const adminsQuery = trx('users').where({ role: 'admin' }).whereNull('disabled_at').select('id');
    if (trx.client.config.client === 'pg') adminsQuery.forUpdate();
    const activeAdmins = ((await adminsQuery) as { id: string }[]).map((r) => r.id);
    const user = (await trx('users').where({ id: userId }).first('id', 'role', 'disabled_at')) as { id: string; role: Role; disabled_at: number | null } | undefined;
    if (!user) throw new NotFound('There is no such user.');
    const losesAdmin = 'disabled' in change ? change.disabled : change.role !== 'admin';
    if ('disabled' in change && change.disabled && userId === actorId) throw new Conflict('You cannot disable your own account.');
    if (losesAdmin && activeAdmins.length === 1 && activeAdmins[0] === userId) {
      throw new Conflict('This is the last active admin: make another user an admin first.');
    }
    const now = clock();
    if ('disabled' in change) {
      await trx('users').where({ id: userId }).update({ disabled_at: change.disabled ? (user.disabled_at ?? now) : null, updated_at: now });
      if (change.disabled) await endSessionsOf(trx, userId);
    } else {
      await trx('users').where({ id: userId }).update({ role: change.role, updated_at: now });
    }
  });
}
