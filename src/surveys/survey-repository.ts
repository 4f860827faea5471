/** Survey rows: the recorded decision for each interaction, and the history the throttle reads. */
import type { Knex } from 'knex';
import { insertRows } from '../db/insert-rows';
import type { SuppressionReason } from './decide-survey';

type Executor = Knex | Knex.Transaction;

export type SurveyStatus = 'scheduled' | 'sent' | 'expired' | 'failed' | 'suppressed' | 'cancelled';

export interface SurveyRow {
  readonly id: string;
  readonly status: SurveyStatus;
  readonly reason: string | null;
  readonly sendAt: number | null;
  readonly sentAt: number | null;
}

export interface NewSurvey {
  readonly id: string;
  readonly interactionId: string;
  readonly customerId: number | null;
  readonly locale: string | null;
  readonly now: number;
  readonly decision: { status: 'scheduled'; sendAt: number } | { status: 'suppressed'; reason: SuppressionReason };
}

export async function insertSurveys(db: Executor, surveys: readonly NewSurvey[]): Promise<void> {
  if (surveys.length === 0) return;
  await insertRows(
    db,
    'surveys',
    surveys.map((survey) => {
      const d = survey.decision;
      return {
        id: survey.id,
        interaction_id: survey.interactionId,
        customer_id: survey.customerId,
        status: d.status,
        reason: d.status === 'suppressed' ? d.reason : null,
        locale: survey.locale,
        send_at: d.status === 'scheduled' ? d.sendAt : null,
        created_at: survey.now,
        updated_at: survey.now,
      };
    }),
  );
}
