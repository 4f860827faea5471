/**
 * The first-run setup: the link printed at start (its token's hash kept under `setup.token_hash`) creates
 * the first admin, once. The token is checked and the user created in one transaction, and the token is
 * deleted with it, so two racing submissions cannot both succeed.
 */
import { timingSafeEqual } from 'node:crypto';
import type { Clock } from '../clock';
import type { Db } from '../db/knex';
import { DomainError } from '../errors';
import { runTransaction } from '../db/transaction';
import { readSettings } from '../settings/settings-repository';
import { hashSecret } from './secrets';
import { countUsers, createUser, type NewUser } from './users';

export const SETUP_TOKEN_SETTING = 'setup.token_hash';

/** The setup link is unknown, used, or no longer needed because a user exists. */
export class SetupClosed extends DomainError {
  constructor() {
    super('not_found', 'This setup link is not valid any more. Ask your administrator, or restart Rapport on an empty database for a new link.');
  }
}

async function tokenMatches(db: Db, token: string): Promise<boolean> {
  const stored = (await readSettings(db, [SETUP_TOKEN_SETTING])).get(SETUP_TOKEN_SETTING);
  if (typeof stored !== 'string' || token === '') return false;
  const given = Buffer.from(hashSecret(token));
  const expected = Buffer.from(stored);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** Whether the link may be used now: the token matches and no user exists yet. */
export async function setupOpen(db: Db, token: string): Promise<boolean> {
  return (await countUsers(db)) === 0 && (await tokenMatches(db, token));
}

/** Creates the first admin with a setup token; throws SetupClosed or ValidationFailed. */
export async function completeSetup(db: Db, clock: Clock, token: string, input: Omit<NewUser, 'role'>): Promise<{ id: string }> {
  return runTransaction(db, async (trx) => {
    if (!(await setupOpen(trx, token))) throw new SetupClosed();
    // Deleting the token first is the lock: of two racing posts on PostgreSQL (read committed), the
    // second waits on the first's delete and then deletes nothing, so it stops here.
    if ((await trx('settings').where({ key: SETUP_TOKEN_SETTING }).delete()) !== 1) throw new SetupClosed();
    return createUser(trx, clock, { ...input, role: 'admin' });
  });
}
