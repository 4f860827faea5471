/**
 * Records a customer's answers: one response per survey (unique survey_id), changed in place until the
 * survey expires. A question the post leaves out keeps its earlier answer. Each response keeps when it
 * was first submitted and last changed, and the browser's user agent, for audit. The KPI rollups move
 * from the old answers to the new ones in the same transaction.
 */
import type { Clock } from '../clock';
import type { Logger } from '../config/logger';
import type { Db } from '../db/knex';
import { timeOrderedUuid } from '../db/time-ordered-id';
import { runTransaction } from '../db/transaction';
import { DomainError } from '../errors';
import { moveAnswersInRollups } from '../kpis';
import type { AnswerChanges } from './schema';
import { savedAnswers, type SavedAnswers, type SurveyForPage } from './survey-page';

export class SurveyExpired extends DomainError {
  constructor() {
    super('survey_expired', 'This survey no longer takes answers.');
  }
}

export interface RecordResponseDeps {
  readonly db: Db;
  readonly clock: Clock;
  readonly logger: Logger;
}

export interface RecordResponseInput {
  /** The survey behind the link, as the page looked it up. */
  readonly survey: SurveyForPage;
  readonly changes: AnswerChanges;
  readonly userAgent: string | null;
  readonly locale: string;
}

function merge(before: SavedAnswers | null, changes: AnswerChanges): SavedAnswers {
  return {
    nps: changes.nps ?? before?.nps ?? null,
    csat: changes.csat ?? before?.csat ?? null,
    ces: changes.ces ?? before?.ces ?? null,
    comment: changes.comment !== undefined ? changes.comment : (before?.comment ?? null),
  };
}

const isEmpty = (a: SavedAnswers): boolean => a.nps === null && a.csat === null && a.ces === null && a.comment === null;

export async function recordResponse(deps: RecordResponseDeps, input: RecordResponseInput): Promise<{ expiresAt: number | null }> {
  const now = deps.clock();
  const { survey } = input;
  if (survey.expired) throw new SurveyExpired();
  return runTransaction(deps.db, async (trx) => {
    // Two posts for one survey (a double click) must apply one after the other, each seeing the
    // other's answers: PostgreSQL locks the survey row; SQLite has one writer anyway.
    if (trx.client.config.client === 'pg') await trx('surveys').where({ id: survey.surveyId }).forUpdate().first('id');
    const before = await savedAnswers(trx, survey.surveyId);
    const after = merge(before, input.changes);
    if (before === null && isEmpty(after)) return { expiresAt: survey.expiresAt };
    const userAgent = input.userAgent?.slice(0, 512) ?? null;
    if (before === null) {
      await trx('responses').insert({ id: timeOrderedUuid(now), survey_id: survey.surveyId, interaction_id: survey.interactionId, ...after, locale: input.locale, user_agent: userAgent, first_submitted_at: now, updated_at: now });
    } else {
      await trx('responses').where({ survey_id: survey.surveyId }).update({ ...after, locale: input.locale, user_agent: userAgent, updated_at: now });
    }
    await moveAnswersInRollups(trx, survey.interactionId, before, after);
    deps.logger.info({ event: 'survey.response_recorded', surveyId: survey.surveyId, changed: before !== null });
    return { expiresAt: survey.expiresAt };
  });
}
