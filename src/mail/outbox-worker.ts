/**
 * The outbox worker: claims due emails, asks the handler to compose them, sends them, and records each
 * outcome on its row (and, through the handler, on its survey) in one transaction per batch.
 *
 * Delivery guarantees: a row is claimed by one worker at a time (see claimDueEmails); while its send runs
 * the worker renews the lease, so only a dead worker's claims are taken over, after at most LEASE_MS.
 * A crash between the server's acceptance and the record makes the next worker send again, with the same
 * Message-ID; nothing else sends twice.
 */
import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import type { Clock } from '../clock';
import type { Logger } from '../config/logger';
import type { Db } from '../db/knex';
import { classifySendError, retryDelayMs, type SendFailure } from './delivery-policy';
import { claimDueEmails, extendLeases, markCaptured, markFinal, markSent, scheduleRetry, type ClaimedEmail } from './outbox-repository';
import type { MailTransport, OutgoingEmail } from './transport';

export type Composition =
  | { readonly kind: 'send'; readonly email: OutgoingEmail; /** Retry transient failures until then. */ readonly retryUntil: number }
  | { readonly kind: 'cancel'; readonly reason: string };

export type DeliveryOutcome =
  | { readonly surveyId: string; readonly kind: 'sent' }
  | { readonly surveyId: string; readonly kind: 'failed' | 'cancelled'; readonly reason: string };

/** What the worker needs from the domain whose emails it sends (surveys). */
export interface OutboxHandler {
  /** Composes the claimed emails, or says why one must not be sent (e.g. the customer unsubscribed). */
  compose(claimed: readonly ClaimedEmail[], now: number): Promise<Map<string, Composition>>;
  /** Records final outcomes in the transaction that records them on the outbox rows. */
  recordOutcomes(trx: Knex.Transaction, outcomes: readonly DeliveryOutcome[], now: number): Promise<void>;
}

export interface OutboxWorkerOptions {
  readonly batchSize: number;
  readonly leaseMs: number;
  /** How often an idle worker looks for due emails. */
  readonly pollMs: number;
}

export const DEFAULT_WORKER_OPTIONS: OutboxWorkerOptions = { batchSize: 50, leaseMs: 30_000, pollMs: 1_000 };

export interface OutboxWorkerDeps {
  readonly db: Db;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly transport: MailTransport;
  readonly handler: OutboxHandler;
  readonly options?: Partial<OutboxWorkerOptions>;
}

type SendResult = { readonly row: ClaimedEmail; readonly composition: Composition } & (
  | { readonly ok: true }
  | { readonly ok: false; readonly failure: SendFailure }
);

/** Batches processed at once: one sends while the next is claimed and composed. */
const PIPELINE_DEPTH = 2;

export class OutboxWorker {
  readonly id = `w-${randomUUID().slice(0, 8)}`;
  private readonly options: OutboxWorkerOptions;
  private readonly inFlight = new Set<string>();
  private running = false;
  private active = 0;
  private timer: NodeJS.Timeout | null = null;
  private heartbeat: NodeJS.Timeout | null = null;
  private drained: (() => void) | null = null;

  constructor(private readonly deps: OutboxWorkerDeps) {
    this.options = { ...DEFAULT_WORKER_OPTIONS, ...deps.options };
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.heartbeat = setInterval(() => void this.renewLeases(), Math.floor(this.options.leaseMs / 3));
    this.heartbeat.unref();
    this.deps.logger.info({ event: 'outbox.worker_started', workerId: this.id, capture: this.deps.transport.captures });
    this.schedule(0);
  }

  /** Looks for due emails now (e.g. right after a trigger asked for an immediate send). */
  wake(): void {
    if (this.running && this.active === 0) this.schedule(0);
  }

  /** Stops claiming, waits for batches in flight to be recorded, closes the transport. */
  async stop(): Promise<void> {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    if (this.active > 0) await new Promise<void>((resolve) => (this.drained = resolve));
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.deps.transport.close();
  }

  /** Claims, sends and records one batch; returns how many emails it claimed. */
  async runOnce(): Promise<number> {
    const now = this.deps.clock();
    const claimed = await claimDueEmails(this.deps.db, this.id, now, this.options.batchSize, this.options.leaseMs);
    if (claimed.length === 0) return 0;
    claimed.forEach((c) => this.inFlight.add(c.id));
    try {
      const compositions = await this.deps.handler.compose(claimed, now);
      const results = await Promise.all(claimed.map((row) => this.deliver(row, compositions.get(row.id))));
      await this.record(results);
    } finally {
      claimed.forEach((c) => this.inFlight.delete(c.id));
    }
    return claimed.length;
  }

  private schedule(delayMs: number): void {
    if (!this.running) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.pump(), delayMs);
    this.timer.unref();
  }

  private pump(): void {
    if (!this.running || this.active >= PIPELINE_DEPTH) return;
    this.active += 1;
    void this.runOnce()
      .catch((error: unknown) => {
        this.deps.logger.error({ event: 'outbox.batch_failed', workerId: this.id, err: error }, 'outbox batch failed; its claims will be retried');
        return 0;
      })
      .then((count) => {
        this.active -= 1;
        if (this.active === 0 && this.drained) this.drained();
        if (count === this.options.batchSize) {
          // A full batch means a backlog: keep the pipeline full.
          this.pump();
          this.pump();
        } else if (this.active === 0) this.schedule(this.options.pollMs);
      });
  }

  private async deliver(row: ClaimedEmail, composition: Composition | undefined): Promise<SendResult> {
    const c: Composition = composition ?? { kind: 'cancel', reason: 'survey_missing' };
    if (c.kind === 'cancel') return { row, composition: c, ok: true };
    try {
      await this.deps.transport.send(c.email);
      return { row, composition: c, ok: true };
    } catch (error) {
      return { row, composition: c, ok: false, failure: classifySendError(error) };
    }
  }

  private async record(results: readonly SendResult[]): Promise<void> {
    const now = this.deps.clock();
    const { db, transport, logger } = this.deps;
    const outcomes: DeliveryOutcome[] = [];
    await db.transaction(async (trx) => {
      const sent = results.filter((r) => r.ok && r.composition.kind === 'send');
      if (transport.captures) {
        await markCaptured(
          trx,
          this.id,
          sent.map(({ row, composition }) => {
            const email = (composition as Extract<Composition, { kind: 'send' }>).email;
            return { id: row.id, subject: email.subject, html: email.html, text: email.text };
          }),
          now,
        );
      } else {
        await markSent(trx, this.id, sent.map((r) => r.row.id), now);
      }
      outcomes.push(...sent.map((r) => ({ surveyId: r.row.surveyId, kind: 'sent' as const })));
      for (const r of results) {
        if (r.composition.kind === 'cancel') {
          await markFinal(trx, this.id, r.row.id, 'cancelled', r.composition.reason, now);
          outcomes.push({ surveyId: r.row.surveyId, kind: 'cancelled', reason: r.composition.reason });
        } else if (!r.ok) {
          const retryAt = now + retryDelayMs(r.row.attempts);
          if (r.failure.kind === 'transient' && retryAt < r.composition.retryUntil) {
            await scheduleRetry(trx, this.id, r.row.id, retryAt, r.failure.reason, now);
          } else {
            const reason = r.failure.kind === 'transient' ? `gave up before the survey expired: ${r.failure.reason}` : r.failure.reason;
            await markFinal(trx, this.id, r.row.id, 'failed', reason, now);
            outcomes.push({ surveyId: r.row.surveyId, kind: 'failed', reason });
          }
        }
      }
      await this.deps.handler.recordOutcomes(trx, outcomes, now);
    });
    for (const r of results) {
      if (!r.ok) logger.warn({ event: 'outbox.send_failed', outboxId: r.row.id, attempts: r.row.attempts, failure: r.failure.kind, reason: r.failure.reason });
    }
    const sentCount = outcomes.filter((o) => o.kind === 'sent').length;
    if (sentCount > 0) logger.info({ event: transport.captures ? 'outbox.captured' : 'outbox.sent', workerId: this.id, count: sentCount });
  }

  private async renewLeases(): Promise<void> {
    try {
      await extendLeases(this.deps.db, this.id, [...this.inFlight], this.deps.clock() + this.options.leaseMs);
    } catch (error) {
      this.deps.logger.warn({ event: 'outbox.lease_renewal_failed', workerId: this.id, err: error });
    }
  }
}
