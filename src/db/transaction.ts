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
 * Runs two independent parts of one transaction. On SQLite both go to the connection at once: the
 * driver runs their statements back to back instead of returning to a busy event loop between each.
 * Both settle before this returns or throws, so a failure never lets the transaction end while a
 * statement of the other part is still queued behind it. On PostgreSQL they run one after the other,
 * in the order given (callers put the most contended rows, the rollups, last).
 */
export async function runSideBySide<A, B>(trx: Knex.Transaction, first: () => Promise<A>, second: () => Promise<B>): Promise<[A, B]> {
  if (trx.client.config.client === 'pg') return [await first(), await second()];
  const [a, b] = await Promise.allSettled([first(), second()]);
  if (a.status === 'rejected') throw a.reason;
  if (b.status === 'rejected') throw b.reason;
  return [a.value, b.value];
}
