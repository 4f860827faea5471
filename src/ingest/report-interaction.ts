/**
 * Records closed interactions: upserts their agents, teams and customers, decides each survey and queues
 * its email, all in one transaction, so a 201 means everything is committed. Idempotent by
 * (source, external_id): a repeat, even a racing one, gets the original record and changes nothing.
 * Concurrent requests are group-committed (see WriteBatcher) with a fixed number of statements a batch;
 * the batch's KPI deltas go into the rollups with one upsert per touched cell.
 */
import type { Knex } from 'knex';
import type { Clock } from '../clock';
import type { Logger } from '../config/logger';
import { engineOf, type Db } from '../db/knex';
import { timeOrderedUuid } from '../db/time-ordered-id';
import { isSqliteTransaction } from '../db/sqlite-statements';
import { runSideBySide } from '../db/transaction';
import { WriteBatcher, type BatchContext } from '../db/write-batcher';
import { addInteractionsToRollups, rollupZoneForNewInteractions } from '../kpis';
import { enqueueSurveyEmails, type QueuedEmail } from '../mail/outbox-repository';
import { decideSurvey, throttleWindowStart, type SurveyDecision, type SurveyPolicy } from '../surveys/decide-survey';
import { insertSurveys, type NewSurvey } from '../surveys/survey-repository';
import type { SurveySettingsSource } from '../surveys/survey-settings';
import { AgentDirectory } from './agent-directory';
import { upsertCustomers, upsertCustomersOfNewTriggers, type CustomerOfTrigger, type CustomerState } from './directory-repository';
import { findInteractionRecord, insertInteractions, interactionKey, storedKeys, type InteractionRecord, type NewInteraction } from './interaction-repository';
import type { Trigger } from './schema';

export interface IngestDeps {
  /** Where writes go. */
  readonly db: Db;
  /** Where plain reads go (on SQLite a separate connection, so reads don't queue behind writes). */
  readonly readDb: Db;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly settings: SurveySettingsSource;
  /** Host part of survey emails' Message-IDs (the BASE_URL host). */
  readonly messageIdDomain: string;
  /** REPORT_TIMEZONE: starts the KPI rollups in this zone when the database has no interaction yet. */
  readonly reportTimezone: string;
}

export interface IngestResult {
  readonly record: InteractionRecord;
  readonly duplicate: boolean;
}

type StepOutcome = { kind: 'created'; record: InteractionRecord } | { kind: 'duplicate' };

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
    this.batcher = new WriteBatcher(deps.db, sqlite ? { maxBatch: 100, concurrency: 1 } : { maxBatch: 1, concurrency: 8 }, (trx, items, ctx) =>
      this.writeBatch(trx, items, ctx),
    );
  }

  async report(trigger: Trigger): Promise<IngestResult> {
    const { policy } = await this.deps.settings.current();
    let outcome: StepOutcome;
    try {
      outcome = await this.batcher.submit({ trigger, policy });
    } catch (error) {
      if (!(error instanceof LostInsertRace)) throw error;
      outcome = { kind: 'duplicate' };
    }
    if (outcome.kind === 'created') {
      const { id, survey } = outcome.record;
      this.deps.logger.info({ event: 'ingest.interaction_recorded', interactionId: id, surveyStatus: survey.status, reason: survey.reason ?? undefined });
      return { record: outcome.record, duplicate: false };
    }
    const record = await findInteractionRecord(this.deps.readDb, trigger.source, trigger.externalId);
    if (record === null) throw new Error('a duplicate interaction could not be read back');
    return { record, duplicate: true };
  }

  /** Waits for queued writes to finish (graceful shutdown). */
  idle(): Promise<void> {
    return this.batcher.idle();
  }

  private async writeBatch(trx: Knex.Transaction, items: readonly StepInput[], ctx: BatchContext): Promise<StepOutcome[]> {
    const now = this.deps.clock();
    // A key repeated within the batch is a duplicate of its first occurrence.
    const firsts = new Map<string, StepInput>();
    for (const item of items) {
      const key = interactionKey(item.trigger.source, item.trigger.externalId);
      if (!firsts.has(key)) firsts.set(key, item);
    }
    const candidates = [...firsts.values()];
    // On SQLite the writer holds the lock from BEGIN, so the duplicate check, the rollups' zone (read
    // before the insert: the first interactions of an empty database start the rollups) and, when the
    // batch's customers are all different, their upsert go to the database together.
    const [stored, rollupZone, customers] = await runSideBySide(
      trx,
      () => storedKeys(trx, candidates.map((i) => i.trigger)),
      () => rollupZoneForNewInteractions(trx, this.deps.reportTimezone),
      () => (isSqliteTransaction(trx) ? upsertCustomersOfNewTriggers(trx, candidates.flatMap(customerOfTrigger), now, surveyedSince(candidates, now)) : Promise.resolve(null)),
    );
    const fresh = [...firsts].filter(([key]) => !stored.has(key)).map(([, item]) => item);
    const created = new Map<StepInput, InteractionRecord>();
    (await this.writeFresh(trx, fresh, ctx, now, rollupZone, customers)).forEach((record, i) => created.set(fresh[i] as StepInput, record));
    return items.map((item) => {
      const record = created.get(item);
      return record === undefined ? { kind: 'duplicate' } : { kind: 'created', record };
    });
  }

  /** `upserted`: the items' customers when already upserted (see writeBatch), or null. */
  private async writeFresh(
    trx: Knex.Transaction,
    items: readonly StepInput[],
    ctx: BatchContext,
    now: number,
    rollupZone: string | null,
    upserted: Map<string, CustomerState> | null,
  ): Promise<InteractionRecord[]> {
    if (items.length === 0) return [];
    const customers =
      upserted ??
      (await upsertCustomers(trx, items.flatMap(customerOfTrigger), now, surveyedSince(items, now)));
    const decisions = decideAll(items, customers, now);

    const interactions: NewInteraction[] = [];
    const surveys: NewSurvey[] = [];
    const emails: QueuedEmail[] = [];
    const records: InteractionRecord[] = [];
    for (const [i, { trigger }] of items.entries()) {
      const agent = await this.agents.resolve(trx, ctx, trigger.agent, trigger.agent.team, now);
      const customer = trigger.customer.email === null ? null : (customers.get(trigger.customer.email) ?? null);
      const decision = decisions[i] as SurveyDecision;
      const interactionId = timeOrderedUuid(now);
      const surveyId = timeOrderedUuid(now);
      interactions.push({
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
      surveys.push({ id: surveyId, interactionId, customerId: customer?.id ?? null, locale: trigger.customer.locale ?? customer?.locale ?? null, now, decision });
      if (decision.status === 'scheduled') emails.push({ surveyId, dueAt: decision.sendAt, messageIdDomain: this.deps.messageIdDomain, now });
      records.push({
        id: interactionId,
        source: trigger.source,
        externalId: trigger.externalId,
        survey: {
          id: surveyId,
          status: decision.status,
          reason: decision.status === 'suppressed' ? decision.reason : null,
          sendAt: decision.status === 'scheduled' ? decision.sendAt : null,
        },
      });
    }
    // Rollups last on PostgreSQL (see addInteractionsToRollups); on SQLite alongside the rows they count.
    await runSideBySide(
      trx,
      async () => {
        if ((await insertInteractions(trx, interactions)) < interactions.length) throw new LostInsertRace();
        await insertSurveys(trx, surveys);
        await enqueueSurveyEmails(trx, emails);
      },
      () => addInteractionsToRollups(trx, rollupZone, interactions),
    );
    return records;
  }
}

/**
 * Where the customers' survey history must be read from. Each throttle window starts at its survey's
 * send moment minus N days; send moments are never before now, so looking back from now covers every
 * item's window.
 */
function surveyedSince(items: readonly StepInput[], now: number): number {
  return Math.min(...items.map(({ policy }) => throttleWindowStart(policy, now) ?? now));
}

function customerOfTrigger({ trigger }: StepInput): CustomerOfTrigger[] {
  const c = trigger.customer;
  return c.email === null ? [] : [{ email: c.email, name: c.name, locale: c.locale, externalId: c.externalId, source: trigger.source, triggerExternalId: trigger.externalId }];
}

/**
 * Each item's survey decision, in arrival order: a survey scheduled earlier in the batch throttles a
 * later one for the same customer just as a stored one does.
 */
function decideAll(items: readonly StepInput[], customers: Map<string, CustomerState>, now: number): SurveyDecision[] {
  const lastSurvey = new Map([...customers.values()].map((c) => [c.id, c.lastSurveyAt]));
  return items.map(({ trigger, policy }) => {
    const customer = trigger.customer.email === null ? undefined : customers.get(trigger.customer.email);
    const decision = decideSurvey(policy, {
      now,
      closedAt: trigger.closedAt,
      requested: trigger.surveyRequested && customer !== undefined,
      unsubscribed: customer?.unsubscribed ?? false,
    });
    if (decision.status !== 'scheduled' || customer === undefined) return decision;
    const window = throttleWindowStart(policy, decision.sendAt);
    const last = lastSurvey.get(customer.id) ?? null;
    if (window !== null && last !== null && last > window) return { status: 'suppressed', reason: 'throttled' };
    lastSurvey.set(customer.id, Math.max(last ?? decision.sendAt, decision.sendAt));
    return decision;
  });
}
