/** Marks sent surveys whose answer window has closed as expired (their links then answer 410). */
import type { Db } from '../db/knex';

export async function expireSurveys(db: Db, now: number): Promise<number> {
  return db('surveys').where({ status: 'sent' }).andWhere('expires_at', '<=', now).update({ status: 'expired', updated_at: now });
}
