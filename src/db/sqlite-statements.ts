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
  reset(cb: () => void): void;
  finalize(cb?: () => void): void;
}
/** The driver's connection (a node-sqlite3 Database), as far as this file uses it. */
export interface SqliteConnection {
  prepare(sql: string, cb: (err: Error | null) => void): PreparedStatement;
  close(cb: (err: Error | null) => void): void;
}

interface ConnectionStatements {
  /** By SQL; a statement SQLite refused is dropped, to be prepared again on the next run. */
  readonly bySql: Map<string, Promise<PreparedStatement>>;
  /** Every statement prepared on the connection, to finalize before it closes. */
  readonly open: Set<PreparedStatement>;
}

const prepared = new WeakMap<SqliteConnection, ConnectionStatements>();

/** True inside a SQLite transaction, where runPrepared applies. */
export function isSqliteTransaction(db: Executor): boolean {
  return db.isTransaction === true && db.client.config.client !== 'pg';
}

function statementsOf(conn: SqliteConnection): ConnectionStatements {
  let statements = prepared.get(conn);
  if (statements === undefined) {
    const created: ConnectionStatements = { bySql: new Map(), open: new Set() };
    statements = created;
    prepared.set(conn, created);
    // SQLite refuses to close a connection that still has prepared statements.
    const close = conn.close.bind(conn);
    conn.close = (cb) => {
      created.open.forEach((s) => s.finalize());
      created.open.clear();
      created.bySql.clear();
      close(cb);
    };
  }
  return statements;
}

/** The connection's statement for `sql`, prepared on first use. */
function statementFor(conn: SqliteConnection, sql: string): Promise<PreparedStatement> {
  const { bySql, open } = statementsOf(conn);
  let statement = bySql.get(sql);
  if (statement === undefined) {
    const preparing = new Promise<PreparedStatement>((resolve, reject) => {
      const s = conn.prepare(sql, (err) => {
        if (err) return reject(err);
        open.add(s);
        resolve(s);
      });
    });
    preparing.catch(() => bySql.delete(sql));
    bySql.set(sql, preparing);
    statement = preparing;
  }
  return statement;
}

/** Runs `sql` with `params` in `trx`, which must be a SQLite transaction; returns the rows it gave. */
export async function runPrepared<R>(trx: Executor, sql: string, params: readonly unknown[]): Promise<R[]> {
  if (!isSqliteTransaction(trx)) throw new Error('runPrepared runs in a SQLite transaction only');
  // knex refuses its own queries once a transaction has ended; so must we, or this would run outside it.
  if ((trx as Knex.Transaction).isCompleted()) throw new Error('runPrepared: the transaction has already ended');
  // A transaction's client hands out the transaction's own connection.
  return runOnConnection<R>((await trx.client.acquireConnection()) as SqliteConnection, sql, params);
}

/**
 * Runs `sql` through the connection's prepared statement for it: for a caller that holds the raw
 * connection (the writer client's transaction statements); anyone else goes through runPrepared.
 */
export async function runOnConnection<R>(conn: SqliteConnection, sql: string, params: readonly unknown[]): Promise<R[]> {
  const statement = await statementFor(conn, sql);
  return new Promise((resolve, reject) =>
    statement.all([...params], (err, rows) => {
      if (err === null) return resolve(rows as R[]);
      // A statement that failed (SQLITE_BUSY, say) stays active until reset, and keeps the
      // connection's read snapshot open through ROLLBACK: every later transaction would read that old
      // snapshot and fail to write again. Reset it before the transaction is rolled back.
      statement.reset(() => reject(err));
    }),
  );
}
