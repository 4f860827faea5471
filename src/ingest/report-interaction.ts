/**
 * Records a closed interaction: upserts its agent, team and customer, decides its survey and queues the
 * survey's email, all in one transaction, so a 201 means everything is committed. Idempotent by
 * (source, external_id): a repeat, even a racing one, gets the original record and changes nothing.
 */
import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import type { Clock } from '../clock';
import type { Logger } from '../config/logger';
import { engineOf, type Db } from '../db/knex';
import { WriteBatcher, type BatchContext } from '../db/write-batcher';
import { enqueueSurveyEmail } from '../mail/outbox-repository';
import { decideSurvey, throttleWindowStart, type SurveyDecision, type SurveyPolicy } from '../surveys/decide-survey';
import { hasSurveySince, insertSurvey } from '../surveys/survey-repository';
import type { SurveyPolicySource } from '../surveys/survey-policy';
import { AgentDirectory } from './agent-directory';
import { upsertCustomer } from './directory-repository';
import { findInteractionRecord, insertInteraction, interactionExists, type InteractionRecord } from './interaction-repository';
import type { Trigger } from './schema';

export interface IngestDeps {
  readonly db: Db;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly policy: SurveyPolicySource;
  /** Host part of survey emails' Message-IDs (the BASE_URL host). */
  readonly messageIdDomain: string;
}

export interface IngestResult {
  readonly record: InteractionRecord;
  readonly duplicate: boolean;
}

type StepOutcome = { kind: 'created'; survey: SurveyDecision } | { kind: 'duplicate' };

interface StepInput {
  readonly trigger: Trigger;
  readonly policy: SurveyPolicy;
}

/** Thrown inside the transaction when a concurrent request inserted the same (source, external_id) first. */
class LostInsertRace extends Error {}

export class InteractionIngestor {
  private readonly agents = new AgentDirectory();
  private readonly batcher: WriteBatcher<StepInput, StepOutcome>;

  constructor(private readonly deps: IngestDeps) {
    // SQLite has one writer: batch everything into one transaction at a time. PostgreSQL takes
    // concurrent transactions, where a batch of one keeps a lost race from rolling back others.
    const sqlite = engineOf(deps.db) === 'sqlite';
    this.batcher = new WriteBatcher(deps.db, sqlite ? { maxBatch: 64, concurrency: 1 } : { maxBatch: 1, concurrency: 8 }, (trx, input, ctx) =>
      this.writeOne(trx, ctx, input),
    );
  }

  async report(trigger: Trigger): Promise<IngestResult> {
    const policy = await this.deps.policy.current();
    let outcome: StepOutcome;
    try {
      outcome = await this.batcher.submit({ trigger, policy });
    } catch (error) {
      if (!(error instanceof LostInsertRace)) throw error;
      outcome = { kind: 'duplicate' };
    }
    const record = await findInteractionRecord(this.deps.db, trigger.source, trigger.externalId);
    if (record === null) throw new Error('interaction vanished after commit');
    if (outcome.kind === 'created') {
      this.deps.logger.info({ event: 'ingest.interaction_recorded', interactionId: record.id, surveyStatus: record.survey.status, reason: record.survey.reason ?? undefined });
    }
    return { record, duplicate: outcome.kind === 'duplicate' };
  }

  /** Waits for queued writes to finish (graceful shutdown). */
  idle(): Promise<void> {
    return this.batcher.idle();
  }

  private async writeOne(trx: Knex.Transaction, ctx: BatchContext, { trigger, policy }: StepInput): Promise<StepOutcome> {
    if (await interactionExists(trx, trigger.source, trigger.externalId)) return { kind: 'duplicate' };
    const now = this.deps.clock();
    const agent = await this.agents.resolve(trx, ctx, trigger.agent, trigger.agent.team, now);
    const { email, name, locale, externalId } = trigger.customer;
    const customer = email === null ? null : await upsertCustomer(trx, { email, name, locale, externalId }, now);
    const survey = await this.decide(trx, policy, trigger, customer, now);

    const interactionId = randomUUID();
    const inserted = await insertInteraction(trx, {
      id: interactionId,
      source: trigger.source,
      externalId: trigger.externalId,
      channel: trigger.channel,
      agentId: agent.agentId,
      teamId: agent.teamId,
      customerId: customer?.id ?? null,
      openedAt: trigger.openedAt,
      firstResponseAt: trigger.firstResponseAt,
      closedAt: trigger.closedAt,
      contacts: trigger.contacts,
      metadata: trigger.metadata,
      now,
    });
    if (!inserted) throw new LostInsertRace();

    const surveyId = randomUUID();
    await insertSurvey(trx, { id: surveyId, interactionId, customerId: customer?.id ?? null, locale: locale ?? customer?.locale ?? null, now, decision: survey });
    if (survey.status === 'scheduled') {
      await enqueueSurveyEmail(trx, { surveyId, dueAt: survey.sendAt, messageIdDomain: this.deps.messageIdDomain, now });
    }
    return { kind: 'created', survey };
  }

  private async decide(
    trx: Knex.Transaction,
    policy: SurveyPolicy,
    trigger: Trigger,
    customer: { id: number; unsubscribed: boolean } | null,
    now: number,
  ): Promise<SurveyDecision> {
    const decision = decideSurvey(policy, {
      now,
      closedAt: trigger.closedAt,
      requested: trigger.surveyRequested && customer !== null,
      unsubscribed: customer?.unsubscribed ?? false,
    });
    if (decision.status !== 'scheduled' || customer === null) return decision;
    const since = throttleWindowStart(policy, decision.sendAt);
    if (since !== null && (await hasSurveySince(trx, customer.id, since))) return { status: 'suppressed', reason: 'throttled' };
    return decision;
  }
}
