/**
 * Multi-row inserts for the ingest path, put together without knex's query builder: every batch inserts
 * dozens of rows into several tables, and the builder's per-value work, plus the compound SELECT it
 * emits for SQLite, cost the event loop more than the database's own work. Table and column names come
 * from our code, never from input; every value is bound. In a SQLite transaction the rows go as one
 * JSON parameter to a prepared statement (see sqlite-statements).
 */
import type { Knex } from 'knex';
import { isSqliteTransaction, runPrepared } from './sqlite-statements';

type Executor = Knex | Knex.Transaction;
export type ColumnValue = string | number | Buffer | null;

const quoted = (name: string): string => `"${name}"`;
/** A value as it travels to SQLite inside a JSON parameter: blobs as hex (unhex() turns them back). */
export const hexIfBuffer = (value: ColumnValue): string | number | null => (Buffer.isBuffer(value) ? value.toString('hex') : value);

/**
 * Inserts `rows` (all with the same columns, in the same order) with one statement; `tail` follows the
 * rows (ON CONFLICT …, RETURNING …) with its own `tailBindings`. Returns the rows RETURNING gave, on
 * either engine.
 */
export async function insertRows<R = never>(
  db: Executor,
  table: string,
  rows: readonly Readonly<Record<string, ColumnValue>>[],
  tail = '',
  tailBindings: readonly ColumnValue[] = [],
): Promise<R[]> {
  const first = rows[0];
  if (first === undefined) return [];
  const columns = Object.keys(first);
  const into = `insert into ${quoted(table)} (${columns.map(quoted).join(', ')})`;
  if (isSqliteTransaction(db)) {
    // Blobs travel through JSON as hex. INSERT … SELECT needs a WHERE before ON CONFLICT, or SQLite
    // reads the ON as a join's.
    const blob = columns.map((c) => rows.some((row) => Buffer.isBuffer(row[c])));
    const values = columns.map((_, i) => (blob[i] ? `unhex(value->>${i})` : `value->>${i}`));
    const sql = `${into} select ${values.join(', ')} from json_each(?) where true${tail ? ` ${tail}` : ''}`;
    const json = JSON.stringify(rows.map((row) => columns.map((c) => hexIfBuffer(row[c] ?? null))));
    return runPrepared<R>(db, sql, [json, ...tailBindings]);
  }
  const placeholders = `(${columns.map(() => '?').join(', ')})`;
  const bindings: ColumnValue[] = [];
  for (const row of rows) for (const column of columns) bindings.push(row[column] ?? null);
  bindings.push(...tailBindings);
  const result = (await db.raw(`${into} values ${rows.map(() => placeholders).join(', ')}${tail ? ` ${tail}` : ''}`, bindings)) as R[] | { rows: R[] };
  // knex hands back SQLite's rows as they are and PostgreSQL's inside its result object.
  return Array.isArray(result) ? result : result.rows;
}
