/**
 * The first-run link: while no user exists, each start issues a fresh one-time token (only its hash is
 * stored, replacing the previous one) and prints the link to create the first admin.
 */
import { SETUP_TOKEN_SETTING } from '../accounts/first-run-setup';
import { countUsers } from '../accounts/users';
import { hashSecret, randomToken } from '../accounts/secrets';
import { writeSetting } from '../settings/settings-repository';
import type { Runtime } from './runtime';

export async function issueSetupLink(rt: Runtime): Promise<string | null> {
  if ((await countUsers(rt.db)) > 0) return null;
  const token = randomToken(24);
  await writeSetting(rt.db, rt.clock, SETUP_TOKEN_SETTING, hashSecret(token));
  return `${rt.config.baseUrl}/setup?token=${token}`;
}
