/**
 * Group commit: requests that arrive while a transaction is running are written together in the next
 * one, by a step that handles the whole batch with set-based statements. On SQLite (one writer, an
 * fsync per commit) this turns N commits and N×k statements into one commit and ~k statements without
 * delaying a lone request; on PostgreSQL, batches of one run side by side on the pool.
 */
import type { Knex } from 'knex';
import type { Db } from './knex';
import { runTransaction } from './transaction';

export interface BatchContext {
  /** Runs `fn` once the transaction holding this batch has committed. */
  afterCommit(fn: () => void): void;
}

/** Writes a batch in the given transaction; returns one result per item, in order. */
export type BatchStep<I, O> = (trx: Knex.Transaction, items: readonly I[], ctx: BatchContext) => Promise<O[]>;

interface Pending<I, O> {
  readonly item: I;
  readonly resolve: (value: O) => void;
  readonly reject: (error: unknown) => void;
}

export interface WriteBatcherOptions {
  /** Most items in one transaction. */
  readonly maxBatch: number;
  /** Transactions running at once (1 for SQLite). */
  readonly concurrency: number;
}

export class WriteBatcher<I, O> {
  private readonly queue: Pending<I, O>[] = [];
  private running = 0;
  private idleWaiters: (() => void)[] = [];

  constructor(
    private readonly db: Db,
    private readonly options: WriteBatcherOptions,
    private readonly step: BatchStep<I, O>,
  ) {}

  submit(item: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      this.pump();
    });
  }

  /** Resolves once nothing is queued or running (for graceful shutdown). */
  async idle(): Promise<void> {
    if (this.running === 0 && this.queue.length === 0) return;
    await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
  }

  private pump(): void {
    while (this.running < this.options.concurrency && this.queue.length > 0) {
      const batch = this.queue.splice(0, this.options.maxBatch);
      this.running += 1;
      void this.runBatch(batch);
    }
  }

  /** Frees this batch's slot and starts the next batch before waking this one's callers. */
  private release(): void {
    this.running -= 1;
    this.pump();
    if (this.running === 0 && this.queue.length === 0) this.idleWaiters.splice(0).forEach((w) => w());
  }

  private async runBatch(batch: Pending<I, O>[]): Promise<void> {
    let results: O[];
    try {
      results = await this.transact(batch.map((p) => p.item));
    } catch (error) {
      if (batch.length === 1) {
        this.release();
        return batch[0]?.reject(error);
      }
      // One item spoiled the shared transaction: write each alone so only that one fails.
      for (const p of batch) {
        await this.transact([p.item]).then(([result]) => p.resolve(result as O), p.reject);
      }
      return this.release();
    }
    // The next transaction's first statement goes to the database thread before this batch's callers
    // resume: their responses and the requests that follow keep the event loop busy for a while, and
    // the database works meanwhile instead of waiting for it.
    this.release();
    batch.forEach((p, i) => p.resolve(results[i] as O));
  }

  private async transact(items: I[]): Promise<O[]> {
    let callbacks: (() => void)[] = [];
    const ctx: BatchContext = { afterCommit: (fn) => callbacks.push(fn) };
    const results = await runTransaction(this.db, (trx) => {
      // A transaction started over must not keep the callbacks of the attempt that was rolled back.
      callbacks = [];
      return this.step(trx, items, ctx);
    });
    callbacks.forEach((fn) => fn());
    return results;
  }
}
