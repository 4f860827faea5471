/**
 * Transactions that survive SQLITE_BUSY. A transaction that has read cannot become a writer once another
 * connection committed since its read, and SQLite refuses at once; writer connections avoid that by
 * beginning IMMEDIATE (see sqlite-writer-client), but a plain connection may still meet it. And a busy
 * timeout can run out while another process holds the lock for longer (a rollups rebuild). Starting the
 * transaction over then succeeds. `fn` may run more than once, so it must only touch the database.
 */
import type { Knex } from 'knex';
import type { Db } from './knex';

const MAX_ATTEMPTS = 5;

function isSqliteBusy(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 'SQLITE_BUSY';
}

export async function runTransaction<T>(db: Db, fn: (trx: Knex.Transaction) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.transaction(fn);
    } catch (error) {
      if (!isSqliteBusy(error) || attempt >= MAX_ATTEMPTS) throw error;
      await new Promise((resolve) => setTimeout(resolve, 10 * attempt));
    }
  }
}

/**
 * Runs independent parts of one transaction. On SQLite they all go to the connection at once: the
 * driver runs their statements back to back instead of returning to a busy event loop between each.
 * All settle before this returns or throws, so a failure never lets the transaction end while a
 * statement of another part is still queued behind it. On PostgreSQL they run one after the other,
 * in the order given (callers put the most contended rows, the rollups, last).
 */
export async function runSideBySide<const P extends readonly (() => Promise<unknown>)[]>(trx: Knex.Transaction, ...parts: P): Promise<{ -readonly [K in keyof P]: Awaited<ReturnType<P[K]>> }> {
  type Results = { -readonly [K in keyof P]: Awaited<ReturnType<P[K]>> };
  if (trx.client.config.client === 'pg') {
    const results: unknown[] = [];
    for (const part of parts) results.push(await part());
    return results as Results;
  }
  const settled = await Promise.allSettled(parts.map((part) => part()));
  const failed = settled.find((s) => s.status === 'rejected');
  if (failed !== undefined) throw failed.reason;
  return settled.map((s) => (s as PromiseFulfilledResult<unknown>).value) as Results;
}
