/**
 * Dashboard sessions, stored in the database so every server behind a balancer shares them. The cookie
 * carries a random 256-bit id; the table keeps only its SHA-256, so a leaked table opens no session.
 * Sessions slide: each use within the idle window extends them, up to an absolute lifetime.
 */
import type { Clock } from '../clock';
import type { Db } from '../db/knex';
import { hashSecret, randomToken } from './secrets';
import type { Role } from './users';

/** A session unused this long ends. */
export const SESSION_IDLE_MS = 12 * 3_600_000;
/** No session outlives this, used or not. */
export const SESSION_MAX_MS = 14 * 86_400_000;
/** last_seen_at is written at most this often, so browsing is not a write per page. */
const TOUCH_EVERY_MS = 5 * 60_000;

export interface SessionUser {
  /** The user's id. */
  readonly id: string;
  readonly email: string;
  readonly name: string | null;
  readonly role: Role;
}

export interface Session {
  /** SHA-256 of the session id: what CSRF tokens are bound to. */
  readonly idHash: string;
  readonly user: SessionUser;
}

/** Starts a session for a user and returns the raw id for the cookie (the only time it exists). */
export async function startSession(db: Db, clock: Clock, userId: string): Promise<string> {
  const id = randomToken(32);
  const now = clock();
  await db.transaction(async (trx) => {
    await trx('sessions').where('expires_at', '<', now).delete();
    await trx('sessions').insert({ id_hash: hashSecret(id), user_id: userId, created_at: now, last_seen_at: now, expires_at: now + SESSION_IDLE_MS });
    await trx('users').where({ id: userId }).update({ last_login_at: now });
  });
  return id;
}

interface SessionRow {
  id_hash: string;
  created_at: number | string;
  last_seen_at: number | string;
  expires_at: number | string;
  user_id: string;
  email: string;
  name: string | null;
  role: Role;
}

/** The live session of a raw id, or null when unknown, expired, or its user is disabled. */
export async function findSession(db: Db, clock: Clock, id: string): Promise<Session | null> {
  const idHash = hashSecret(id);
  const row = (await db('sessions as s')
    .join('users as u', 'u.id', 's.user_id')
    .where('s.id_hash', idHash)
    .whereNull('u.disabled_at')
    .first('s.id_hash', 's.created_at', 's.last_seen_at', 's.expires_at', 'u.id as user_id', 'u.email', 'u.name', 'u.role')) as SessionRow | undefined;
  const now = clock();
  if (!row || Number(row.expires_at) <= now) return null;
  if (now - Number(row.last_seen_at) >= TOUCH_EVERY_MS) {
    const expiresAt = Math.min(now + SESSION_IDLE_MS, Number(row.created_at) + SESSION_MAX_MS);
    await db('sessions').where({ id_hash: idHash }).update({ last_seen_at: now, expires_at: expiresAt });
  }
  return { idHash, user: { id: row.user_id, email: row.email, name: row.name, role: row.role } };
}

/** Ends a session on the server: its cookie opens nothing from now on. */
export async function endSession(db: Db, idHash: string): Promise<void> {
  await db('sessions').where({ id_hash: idHash }).delete();
}

/** Ends every session of a user (disabled, or password changed). */
export async function endSessionsOf(db: Db, userId: string): Promise<void> {
  await db('sessions').where({ user_id: userId }).delete();
}
