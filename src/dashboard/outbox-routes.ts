/**
 * The Outbox pages (issue #7 part 5): every survey email with its delivery status, attempts and last
 * error, and a preview of what a captured message says. In capture mode (no SMTP_URL) this is where a
 * new user sees what would have been sent. Leads and admins alike may look, but only an admin sees the
 * live survey and unsubscribe links of a captured email: those tokens are the customer's capability to
 * answer, so a lead sees them masked.
 *
 * The HTML preview is served on its own URL under a sandboxing CSP: the email's markup may hold anything
 * a template produced, and it must never run script or act with the dashboard's origin.
 */
import { Router, type Response } from 'express';
import { findOutboxMessage, listOutboxPage } from '../mail/outbox-repository';
import type { DashboardDeps } from './routes';
import { formatInstant, isUuid } from './values';
import { encodeCursor, OUTBOX_FILTERS, OUTBOX_PAGE_SIZE, parseCursor, parseOutboxFilter, statusLabel } from './outbox-view';
import { renderDashboard, renderDashboardMessage } from './render';
import { signedInUser } from '../http/dashboard-session';

const SURVEY_LINK_TOKEN = /\/([su])\/[A-Za-z0-9_-]{20,}/g;

/** The captured content as this user may see it: links with tokens masked unless an admin looks. */
function visibleContent(res: Response, content: string | null): string | null {
  if (content === null || signedInUser(res).role === 'admin') return content;
  return content.replace(SURVEY_LINK_TOKEN, '/$1/…');
}

/** The preview's policy: an opaque sandboxed origin, no script, no fetches but https/data images and inline styles. */
export const PREVIEW_CSP = "sandbox; default-src 'none'; img-src https: data:; style-src 'unsafe-inline'; frame-ancestors 'none'";

export function outboxRoutes(deps: DashboardDeps): Router {
  const router = Router();
  const when = (ms: number | null) => formatInstant(ms, deps.reportTimezone);
  const notFound = (res: Response): void =>
    renderDashboardMessage(res, 404, 'No such email', 'There is no email with this id in the outbox. It may have been mistyped, or the link is from another Rapport.');

  router.get('/outbox', async (req, res) => {
    const filter = parseOutboxFilter(req.query.status);
    const before = parseCursor(req.query.before);
    const after = before ? undefined : parseCursor(req.query.after);
    const page = await listOutboxPage(deps.readDb, { filter: filter ?? undefined, before, after, limit: OUTBOX_PAGE_SIZE });
    const link = (key: 'before' | 'after', cursor: { createdAt: number; id: string }): string => {
      const params = new URLSearchParams(filter ? { status: filter } : {});
      params.set(key, encodeCursor(cursor));
      return `/outbox?${params.toString()}`;
    };
    renderDashboard(res, 200, 'outbox', {
      title: 'Outbox',
      section: '/outbox',
      captureMode: deps.captureMode,
      filters: OUTBOX_FILTERS,
      filter,
      paged: before !== undefined || after !== undefined,
      rows: page.entries.map((e) => ({
        id: e.id,
        recipient: e.recipient,
        subject: e.subject,
        status: statusLabel(e),
        attempts: e.attempts,
        due: when(e.dueAt),
        sent: when(e.sentAt),
        lastError: e.lastError,
      })),
      olderHref: page.older ? link('before', page.older) : null,
      newerHref: page.newer ? link('after', page.newer) : null,
    });
  });

  router.get('/outbox/:id', async (req, res) => {
    const id = req.params.id;
    const message = isUuid(id) ? await findOutboxMessage(deps.readDb, id) : null;
    if (!message) return notFound(res);
    renderDashboard(res, 200, 'outbox-message', {
      title: message.subject ? `Email: ${message.subject}` : 'Email',
      section: '/outbox',
      captureMode: deps.captureMode,
      message: {
        id: message.id,
        recipient: message.recipient,
        subject: message.subject,
        status: statusLabel(message),
        attempts: message.attempts,
        messageId: message.messageId,
        queued: when(message.createdAt),
        due: when(message.dueAt),
        sent: when(message.sentAt),
        lastError: message.lastError,
        text: visibleContent(res, message.text),
        hasHtml: message.html !== null,
        // Content is kept only in capture mode; a pending message has not been composed yet.
        contentNote: message.text !== null ? null : message.captured ? 'empty' : message.status === 'pending' || message.status === 'sending' ? 'not-yet' : 'smtp',
      },
    });
  });

  router.get('/outbox/:id/preview', async (req, res) => {
    const id = req.params.id;
    const message = isUuid(id) ? await findOutboxMessage(deps.readDb, id) : null;
    if (!message) return notFound(res);
    if (message.html === null) {
      return renderDashboardMessage(res, 404, 'No preview', 'Rapport keeps the content of an email only in capture mode, once it has been composed. This one has no stored HTML.');
    }
    res
      .status(200)
      .set('Content-Security-Policy', PREVIEW_CSP)
      .set('Cache-Control', 'no-store')
      // The email's links carry survey tokens; its images may be on other hosts: tell them nothing.
      .set('Referrer-Policy', 'no-referrer')
      .type('html')
      .send(visibleContent(res, message.html));
  });

  return router;
}
