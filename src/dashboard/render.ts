/**
 * Renders dashboard pages: every page gets the signed-in user, the navigation, the CSRF token for its
 * forms and a no-store cache policy (pages carry customer data).
 */
import type { Response } from 'express';
import type { SessionUser } from '../accounts/sessions';
import { dashboardLocals } from '../http/dashboard-session';
import { formatDuration } from './kpi-view';

export interface NavItem {
  readonly href: string;
  readonly label: string;
  readonly adminOnly: boolean;
}

export const NAV: readonly NavItem[] = [
  { href: '/', label: 'Overview', adminOnly: false },
  { href: '/agents', label: 'Agents', adminOnly: false },
  { href: '/teams', label: 'Teams', adminOnly: false },
  { href: '/channels', label: 'Channels', adminOnly: false },
  { href: '/responses', label: 'Responses', adminOnly: false },
  { href: '/outbox', label: 'Outbox', adminOnly: false },
  { href: '/settings', label: 'Settings', adminOnly: true },
];

/** The page model every dashboard view receives besides its own fields. */
export interface PageChrome {
  readonly title: string;
  /** The NAV href this page belongs to, marked aria-current. */
  readonly section?: string;
}

export function renderDashboard(res: Response, status: number, view: string, model: PageChrome & Record<string, unknown>): void {
  const { session, csrfToken } = dashboardLocals(res);
  const user: SessionUser | null = session?.user ?? null;
  res
    .status(status)
    .set('Cache-Control', 'no-store')
    .render(`dashboard/${view}`, { ...model, user, csrfToken, duration: formatDuration, nav: NAV.filter((n) => !n.adminOnly || user?.role === 'admin') });
}

/** A friendly message page (403, 404, 422 …) inside the dashboard's frame. */
export function renderDashboardMessage(res: Response, status: number, title: string, body: string): void {
  renderDashboard(res, status, 'message', { title, body });
}
