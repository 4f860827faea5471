/**
 * Query parameters of the reporting API (CONTRACT §3): a date range in REPORT_TIMEZONE (default: the
 * last 30 days, today included), filters, and for /responses the page size and cursor. Every failing
 * parameter is named; a filter that matches nothing is not an error.
 */
import type { FieldIssue } from '../errors';
import { addDays, isReportDate } from './report-calendar';

export const DEFAULT_RANGE_DAYS = 30;
export const MAX_PAGE_SIZE = 500;
export const DEFAULT_PAGE_SIZE = 100;

export interface ReportFilters {
  readonly from: string;
  readonly to: string;
  /** Agent external id. */
  readonly agent: string | null;
  /** Team name as given in triggers. */
  readonly team: string | null;
  readonly channel: string | null;
}

export interface ResponsesQuery extends ReportFilters {
  readonly limit: number;
  readonly cursor: ResponsesCursor | null;
}

/** Where the previous page ended: its last item's answer time and response id. */
export interface ResponsesCursor {
  readonly answeredAt: number;
  readonly id: string;
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; issues: FieldIssue[] };

type Query = Record<string, unknown>;

function single(query: Query, name: string, issues: FieldIssue[]): string | undefined {
  const value = query[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') {
    issues.push({ path: name, message: 'must be given once' });
    return undefined;
  }
  return value;
}

function text(query: Query, name: string, issues: FieldIssue[], pattern?: RegExp): string | null {
  const value = single(query, name, issues);
  if (value === undefined || value === '') return null;
  if (value.length > 200 || value.includes('\u0000') || (pattern && !pattern.test(value))) {
    issues.push({ path: name, message: pattern ? `must match ${pattern.source}` : 'must be at most 200 characters' });
    return null;
  }
  return value;
}

export function parseFilters(query: Query, today: string, issues: FieldIssue[]): ReportFilters {
  const date = (name: 'from' | 'to'): string | null => {
    const value = single(query, name, issues);
    if (value === undefined) return null;
    if (!isReportDate(value)) {
      issues.push({ path: name, message: 'must be a date written YYYY-MM-DD' });
      return null;
    }
    return value;
  };
  const to = date('to') ?? today;
  const from = date('from') ?? addDays(to, -(DEFAULT_RANGE_DAYS - 1));
  if (from > to && !issues.some((i) => i.path === 'from' || i.path === 'to')) issues.push({ path: 'from', message: 'must not be after to' });
  return { from, to, agent: text(query, 'agent', issues), team: text(query, 'team', issues), channel: text(query, 'channel', issues, /^[a-z0-9_-]{1,32}$/) };
}

export function encodeCursor(cursor: ResponsesCursor): string {
  return Buffer.from(JSON.stringify([cursor.answeredAt, cursor.id])).toString('base64url');
}

function decodeCursor(value: string): ResponsesCursor | null {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(value, 'base64url').toString('utf8'));
    if (Array.isArray(parsed) && parsed.length === 2 && Number.isSafeInteger(parsed[0]) && typeof parsed[1] === 'string' && /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(parsed[1])) {
      return { answeredAt: parsed[0] as number, id: parsed[1] };
    }
  } catch {
    // fall through: not a cursor we made
  }
  return null;
}

export function parseResponsesQuery(query: Query, today: string): Parsed<ResponsesQuery> {
  const issues: FieldIssue[] = [];
  const filters = parseFilters(query, today, issues);
  const rawLimit = single(query, 'limit', issues);
  let limit = DEFAULT_PAGE_SIZE;
  if (rawLimit !== undefined) {
    if (!/^\d{1,4}$/.test(rawLimit) || Number(rawLimit) < 1 || Number(rawLimit) > MAX_PAGE_SIZE) issues.push({ path: 'limit', message: `must be a whole number from 1 to ${MAX_PAGE_SIZE}` });
    else limit = Number(rawLimit);
  }
  const rawCursor = single(query, 'cursor', issues);
  const cursor = rawCursor === undefined || rawCursor === '' ? null : decodeCursor(rawCursor);
  if (rawCursor && cursor === null) issues.push({ path: 'cursor', message: 'is not a cursor this API returned' });
  return issues.length > 0 ? { ok: false, issues } : { ok: true, value: { ...filters, limit, cursor } };
}
