/**
 * The key that signs session cookies and CSRF tokens: SESSION_SECRET when set, otherwise one generated on
 * first use and kept in the settings table, so every server on the database and every restart agree.
 */
import type { Clock } from '../clock';
import type { Db } from '../db/knex';
import { readSettings } from '../settings/settings-repository';
import { randomToken } from './secrets';

export const SESSION_SECRET_SETTING = 'session.secret';

export class SessionSecret {
  private value: Promise<string> | null;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    configured: string | null,
  ) {
    this.value = configured === null ? null : Promise.resolve(configured);
  }

  get(): Promise<string> {
    this.value ??= this.loadOrCreate().catch((error: unknown) => {
      this.value = null;
      throw error;
    });
    return this.value;
  }

  private async loadOrCreate(): Promise<string> {
    // Two servers starting together both try to insert; the first wins and both read the winner.
    await this.db('settings')
      .insert({ key: SESSION_SECRET_SETTING, value: JSON.stringify(randomToken(32)), updated_at: this.clock() })
      .onConflict('key')
      .ignore();
    const stored = (await readSettings(this.db, [SESSION_SECRET_SETTING])).get(SESSION_SECRET_SETTING);
    if (typeof stored !== 'string') throw new Error('the stored session secret is not a string');
    return stored;
  }
}
