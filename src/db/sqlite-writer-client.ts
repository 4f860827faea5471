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
 * The transaction statements themselves (BEGIN IMMEDIATE, COMMIT, ROLLBACK) run prepared, once per
 * connection: knex sends each as fresh SQL, which the driver prepares and then runs, two trips to the
 * database thread and back to an event loop that is busy with requests. Every ingest batch begins and
 * commits one transaction, so that was four trips where two do.
 *
 * knex offers no option for either, so this extends knex's own classes (lib/dialects/sqlite3). Should a
 * knex upgrade change them, test/db/write-batcher.test.ts (another writer process) or
 * test/db/sqlite-writer-client.test.ts (the statements a transaction sends) fails.
 */
import type { Knex } from 'knex';
import { runOnConnection, type SqliteConnection } from './sqlite-statements';
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

/** What this file uses of knex's query object, as the dialect's `_query` receives it. */
interface KnexQueryObject {
  sql: string;
  bindings?: readonly unknown[];
  response?: unknown;
}

// As knex's Transaction sends them (ROLLBACK without its semicolon).
const TRANSACTION_STATEMENTS = new Set(['BEGIN IMMEDIATE;', 'COMMIT;', 'ROLLBACK']);

// The dialect's own statement runner (not in knex's types).
const dialectQuery = (ClientSqlite3.prototype as unknown as { _query(this: Knex.Client, conn: unknown, obj: KnexQueryObject): Promise<KnexQueryObject> })._query;

/** Pass as knex's `client` for a SQLite connection that writes. */
export class SqliteWriterClient extends ClientSqlite3 {
  /** Runs one statement on `conn`: the transaction statements prepared, the rest as knex does. */
  _query(conn: unknown, obj: KnexQueryObject): Promise<KnexQueryObject> {
    if (!TRANSACTION_STATEMENTS.has(obj.sql) || (obj.bindings?.length ?? 0) > 0) return dialectQuery.call(this, conn, obj);
    return runOnConnection(conn as SqliteConnection, obj.sql, []).then((rows) => {
      obj.response = rows;
      return obj;
    });
  }

  override transaction(...args: Parameters<Knex.Client['transaction']>): Knex.Transaction {
    return new ImmediateTransaction(this, ...args) as unknown as Knex.Transaction;
  }
}
