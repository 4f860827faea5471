/**
 * Survey tokens: 256 random bits, base64url, handed out in emails and stored only as SHA-256 hashes.
 * A survey gets a fresh token per send attempt, and every token it was given keeps working, so a
 * message delivered by an attempt whose success was never recorded still has live links.
 */
import type { Knex } from 'knex';
import { hashSecret, randomToken } from '../accounts/secrets';
import type { Db } from '../db/knex';

/** Tokens look like this; anything else is not worth a database lookup. */
export const TOKEN_SHAPE = /^[A-Za-z0-9_-]{22,64}$/;

export async function issueTokens(trx: Knex.Transaction, surveyIds: readonly string[], now: number): Promise<Map<string, string>> {
  const tokens = new Map(surveyIds.map((id) => [id, randomToken(32)]));
  if (tokens.size > 0) {
    await trx('survey_tokens').insert([...tokens].map(([surveyId, token]) => ({ token_hash: hashSecret(token), survey_id: surveyId, created_at: now })));
  }
  return tokens;
}

/** The survey a token belongs to, or null for a malformed or unknown token. */
export async function surveyIdForToken(db: Db, token: string): Promise<string | null> {
  if (!TOKEN_SHAPE.test(token)) return null;
  const row = (await db('survey_tokens').where({ token_hash: hashSecret(token) }).first('survey_id')) as { survey_id: string } | undefined;
  return row?.survey_id ?? null;
}
