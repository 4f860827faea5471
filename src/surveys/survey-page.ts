/**
 * Reading a survey by its link's token, for the pages: its state (answerable, expired), the language to
 * speak, and the answers already given. Never writes: link scanners open every link in a mail.
 */
import type { Knex } from 'knex';
import { hashSecret } from '../accounts/secrets';
import { BatchLoader } from '../db/batch-loader';
import { TOKEN_SHAPE } from './token-repository';


export interface SavedAnswers {
  readonly nps: number | null;
  readonly csat: number | null;
  readonly ces: number | null;
  readonly comment: string | null;
}

export interface SurveyForPage {
  readonly surveyId: string;
  readonly interactionId: string;
  readonly locale: string | null;
  /** The end of the answer window, once the survey was sent. */
  readonly expiresAt: number | null;
  readonly expired: boolean;
  readonly answers: SavedAnswers | null;
}

interface Row {
  token_hash: string;
  survey_id: string;
  interaction_id: string;
  status: string;
  expires_at: number | string | null;
  survey_locale: string | null;
  customer_locale: string | null;
  nps: number | null;
  csat: number | null;
  ces: number | null;
  comment: string | null;
  response_id: string | null;
}

function toSurvey(row: Row, now: number): SurveyForPage {
  const expiresAt = row.expires_at === null ? null : Number(row.expires_at);
  return {
    surveyId: row.survey_id,
    interactionId: row.interaction_id,
    locale: row.survey_locale ?? row.customer_locale,
    expiresAt,
    expired: row.status === 'expired' || (expiresAt !== null && expiresAt <= now),
    answers: row.response_id === null ? null : { nps: row.nps, csat: row.csat, ces: row.ces, comment: row.comment },
  };
}

function surveysByTokenHash(db: Knex | Knex.Transaction) {
  return db('survey_tokens as t')
    .join('surveys as s', 's.id', 't.survey_id')
    .leftJoin('customers as c', 'c.id', 's.customer_id')
    .leftJoin('responses as r', 'r.survey_id', 's.id')
    .select(
      't.token_hash',
      's.id as survey_id',
      's.interaction_id',
      's.status',
      's.expires_at',
      's.locale as survey_locale',
      'c.locale as customer_locale',
      'r.id as response_id',
      'r.nps',
      'r.csat',
      'r.ces',
      'r.comment',
    );
}

/**
 * The survey behind a link, or null when the token is malformed or unknown. Concurrent requests share
 * one query (see BatchLoader): this is the pages' hot path.
 */
export class SurveyLookup {
  private readonly loader: BatchLoader<string, Row>;

  constructor(db: Knex) {
    this.loader = new BatchLoader(async (hashes) => {
      const rows = (await surveysByTokenHash(db).whereIn('t.token_hash', hashes)) as Row[];
      return new Map(rows.map((r) => [r.token_hash, r]));
    });
  }

  async find(token: string, now: number): Promise<SurveyForPage | null> {
    if (!TOKEN_SHAPE.test(token)) return null;
    const row = await this.loader.load(hashSecret(token));
    return row === null ? null : toSurvey(row, now);
  }
}

/** The saved answers, read in the caller's transaction after it locked the survey. */
export async function savedAnswers(trx: Knex.Transaction, surveyId: string): Promise<SavedAnswers | null> {
  const row = (await trx('responses').where({ survey_id: surveyId }).first('nps', 'csat', 'ces', 'comment')) as SavedAnswers | undefined;
  return row ?? null;
}
