/**
 * View helpers for the Outbox pages: how statuses and page cursors look on the page and in
 * its links. Everything a URL carries is checked here, so a tampered link answers a page, never a 500.
 */
import type { OutboxCursor, OutboxEntry, OutboxFilter } from '../mail/outbox-repository';
import { isUuid } from './values';

/** The list's filter choices, in the order the filter menu shows them. */
export const OUTBOX_FILTERS: readonly OutboxFilter[] = ['pending', 'sending', 'sent', 'captured', 'failed', 'cancelled'];

/** Outbox rows per page. */
export const OUTBOX_PAGE_SIZE = 50;


/** The filter named by a query value; null when absent or unknown (the page then shows everything). */
export function parseOutboxFilter(value: unknown): OutboxFilter | null {
  return typeof value === 'string' && (OUTBOX_FILTERS as readonly string[]).includes(value) ? (value as OutboxFilter) : null;
}

/** A cursor as links carry it: `<created_at>_<id>`. */
export function encodeCursor(cursor: OutboxCursor): string {
  return `${cursor.createdAt}_${cursor.id}`;
}

/** A cursor from a query value; undefined when absent or malformed (a malformed one means the first page). */
export function parseCursor(value: unknown): OutboxCursor | undefined {
  if (typeof value !== 'string') return undefined;
  const match = /^(\d{1,15})_([0-9a-fA-F-]{36})$/.exec(value);
  if (!match || !isUuid(match[2] as string)) return undefined;
  return { createdAt: Number(match[1]), id: (match[2] as string).toLowerCase() };
}

/** What the dashboard calls a row's state: `captured` for a message kept in capture mode. */
export function statusLabel(entry: Pick<OutboxEntry, 'status' | 'captured'>): string {
  return entry.status === 'sent' && entry.captured ? 'captured' : entry.status;
}

