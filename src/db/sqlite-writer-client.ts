/**
 * knex's SQLite client, with transactions that begin IMMEDIATE. knex begins them DEFERRED: a transaction
 * that reads before it writes must then upgrade its read snapshot to a write, and once another
 * connection (another process: `rapport worker`, a CLI command) has committed since that read, SQLite
 * refuses at once with SQLITE_BUSY instead of waiting on the busy timeout. Under ingest load, commits
 * come every few milliseconds and such a transaction failed attempt after attempt. BEGIN IMMEDIATE takes
 * the write lock first, waiting on the busy timeout like any writer, so the upgrade never happens.
 * Transactions on a writer connection are there to write; plain reads go to the read-only pool
 * (createReadDb), which keeps knex's own client.
 *
 * knex offers no option for it, so this extends knex's own classes (lib/dialects/sqlite3). Should a knex
 * upgrade change them, the write batcher's test with another writer process fails.
 */
import type { Knex } from 'knex';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const ClientSqlite3 = require('knex/lib/dialects/sqlite3') as typeof Knex.Client;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const TransactionSqlite = require('knex/lib/dialects/sqlite3/execution/sqlite-transaction') as new (client: Knex.Client, ...args: unknown[]) => KnexSqliteTransaction;

/** What this file uses of knex's (untyped) transaction class. */
interface KnexSqliteTransaction {
  query(conn: unknown, sql: string): Promise<unknown>;
}

class ImmediateTransaction extends TransactionSqlite {
  begin(conn: unknown): Promise<unknown> {
    return this.query(conn, 'BEGIN IMMEDIATE;');
  }
}

/** Pass as knex's `client` for a SQLite connection that writes. */
export class SqliteWriterClient extends ClientSqlite3 {
  override transaction(...args: Parameters<Knex.Client['transaction']>): Knex.Transaction {
    return new ImmediateTransaction(this, ...args) as unknown as Knex.Transaction;
  }
}
