/**
 * Multi-row INSERTs built by hand for bulk loads, one statement shape per engine:
 * - SQLite: plain `VALUES (…), (…)` lists. knex's own multi-row insert there is a chain of
 *   `SELECT … UNION ALL` (at most 500 terms) that rebuilds every row object. A statement may bind at
 *   most 32,766 values (SQLITE_MAX_VARIABLE_NUMBER since 3.32), so rows are chunked as if every value
 *   were bound.
 * - PostgreSQL: `SELECT * FROM unnest($1::type[], …)`, one array per column. The server parses a few
 *   arrays instead of planning a VALUES list of tens of thousands of expressions (about a third
 *   faster), and there is no limit on the number of rows.
 */
import type { Knex } from 'knex';
import { engineOf, type Db } from '../db/knex';

type Executor = Db | Knex.Transaction;

/** A column and its PostgreSQL type (for the unnest arrays). */
export type Column = readonly [name: string, pgType: 'uuid' | 'text' | 'int2' | 'int4' | 'int8'];

/** A row's values in the order of the statement's columns. */
export type Row = readonly unknown[];

const SQLITE_MAX_BOUND_VALUES = 32_766;

/**
 * A VALUES row: finite numbers and nulls are written as literals, anything else is bound. node-sqlite3
 * copies each bound value on the main thread (about a microsecond apiece, most of a bulk load), while
 * SQLite parses an integer literal for next to nothing; numbers can't smuggle SQL, so this is safe.
 */
function valuesRow(row: Row, bindings: unknown[]): string {
  let out = '(';
  for (let i = 0; i < row.length; i++) {
    const value = row[i];
    if (i > 0) out += ', ';
    if (value === null || value === undefined) out += 'null';
    else if (typeof value === 'number' && Number.isFinite(value)) out += String(value);
    else {
      bindings.push(value);
      out += '?';
    }
  }
  return `${out})`;
}

type RawResult = { rows?: Record<string, unknown>[] } | Record<string, unknown>[];

/** PostgreSQL answers a result object, SQLite the rows themselves. */
const rowsOf = (result: RawResult): Record<string, unknown>[] => (Array.isArray(result) ? result : (result.rows ?? []));

/**
 * Inserts `rows` into `table`. `suffix` is appended to each statement (an ON CONFLICT or RETURNING
 * clause); rows it returns are collected. Table and column names are trusted constants, never input.
 */
export async function insertRows(db: Executor, table: string, columns: readonly Column[], rows: readonly Row[], suffix = ''): Promise<Record<string, unknown>[]> {
  if (rows.length === 0) return [];
  const names = columns.map(([name]) => name).join(', ');
  const tail = suffix ? ` ${suffix}` : '';
  if (engineOf(db as Db) === 'pg') {
    const arrays = columns.map((_, c) => rows.map((row) => row[c] ?? null));
    const sql = `insert into ${table} (${names}) select * from unnest(${columns.map(([, type]) => `?::${type}[]`).join(', ')})${tail}`;
    return rowsOf((await db.raw(sql, arrays as unknown as Knex.RawBinding[])) as RawResult);
  }
  const perStatement = Math.max(1, Math.floor(SQLITE_MAX_BOUND_VALUES / columns.length));
  const returned: Record<string, unknown>[] = [];
  for (let from = 0; from < rows.length; from += perStatement) {
    const bindings: unknown[] = [];
    const values = rows.slice(from, from + perStatement).map((row) => valuesRow(row, bindings)).join(', ');
    const result = (await db.raw(`insert into ${table} (${names}) values ${values}${tail}`, bindings as Knex.RawBinding[])) as RawResult;
    for (const r of rowsOf(result)) returned.push(r);
  }
  return returned;
}
