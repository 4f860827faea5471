/**
 * Statements prepared once per SQLite connection, for the ingest batch's statements. With the async
 * driver a fresh statement costs two trips to the database thread (prepare, then run) and a parse; a
 * prepared one, one trip. Trips are what a batch mostly waits on: each one waits for an event loop that
 * is busy with requests. Batches of any size use the same SQL, their rows passed as one JSON parameter
 * (json_each), so a handful of statements covers the whole path.
 */
import type { Knex } from 'knex';

type Executor = Knex | Knex.Transaction;

interface PreparedStatement {
  all(params: unknown[], cb: (err: Error | null, rows: unknown[]) => void): void;
  finalize(cb?: () => void): void;
}
interface SqliteConnection {
  prepare(sql: string, cb: (err: Error | null) => void): PreparedStatement;
  close(cb: (err: Error | null) => void): void;
}

const prepared = new WeakMap<SqliteConnection, Map<string, PreparedStatement>>();

/** True inside a SQLite transaction, where runPrepared applies. */
export function isSqliteTransaction(db: Executor): boolean {
  return db.isTransaction === true && db.client.config.client !== 'pg';
}

/** The connection's statement for `sql`, prepared on first use and finalized before the connection closes. */
function statementFor(conn: SqliteConnection, sql: string): PreparedStatement {
  let cache = prepared.get(conn);
  if (cache === undefined) {
    const statements = new Map<string, PreparedStatement>();
    cache = statements;
    prepared.set(conn, statements);
    // SQLite refuses to close a connection that still has prepared statements.
    const close = conn.close.bind(conn);
    conn.close = (cb) => {
      statements.forEach((s) => s.finalize());
      statements.clear();
      close(cb);
    };
  }
  let statement = cache.get(sql);
  if (statement === undefined) {
    // A failed prepare also fails every run of the statement, which is where the caller hears of it.
    statement = conn.prepare(sql, () => undefined);
    cache.set(sql, statement);
  }
  return statement;
}

/** Runs `sql` with `params` in `trx`, which must be a SQLite transaction; returns the rows it gave. */
export async function runPrepared<R>(trx: Executor, sql: string, params: readonly unknown[]): Promise<R[]> {
  if (!isSqliteTransaction(trx)) throw new Error('runPrepared runs in a SQLite transaction only');
  // A transaction's client hands out the transaction's own connection.
  const statement = statementFor((await trx.client.acquireConnection()) as SqliteConnection, sql);
  return new Promise((resolve, reject) => statement.all([...params], (err, rows) => (err ? reject(err) : resolve(rows as R[]))));
}
