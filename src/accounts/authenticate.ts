/**
 * Checks a dashboard login. An unknown email costs the same argon2 verification as a wrong password, so
 * response times do not tell which accounts exist.
 */
import argon2 from 'argon2';
import type { Db } from '../db/knex';
import type { Role } from './users';

let dummyHash: Promise<string> | null = null;
function timingDummy(): Promise<string> {
  dummyHash ??= argon2.hash('rapport timing equaliser', { type: argon2.argon2id });
  return dummyHash;
}

export interface AuthenticatedUser {
  readonly id: string;
  readonly role: Role;
}

/** The user with this email and password, or null (unknown, wrong password or disabled alike). */
export async function authenticate(db: Db, email: string, password: string): Promise<AuthenticatedUser | null> {
  const row = (await db('users').where({ email: email.trim().toLowerCase() }).first('id', 'role', 'password_hash', 'disabled_at')) as
    | { id: string; role: Role; password_hash: string; disabled_at: number | string | null }
    | undefined;
  const ok = await argon2.verify(row?.password_hash ?? (await timingDummy()), password).catch(() => false);
  if (!row || !ok || row.disabled_at !== null) return null;
  return { id: row.id, role: row.role };
}
