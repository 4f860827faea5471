/**
 * The support leads' dashboard (CONTRACT §5): first-run setup, login, and the signed-in pages. Every
 * post passes the CSRF check; anonymous page views go to /login; settings are for admins only.
 */
import express, { Router, type NextFunction, type Request, type Response } from 'express';
import type { Clock } from '../clock';
import type { Logger } from '../config/logger';
import type { Db } from '../db/knex';
import type { SessionSecret } from '../accounts/session-secret';
import { csrfFailure, dashboardLocals, loadDashboardSession } from '../http/dashboard-session';
import type { SurveySettingsSource } from '../surveys/survey-settings';
import { authRoutes } from './auth-routes';
import { groupRoutes } from './group-routes';
import { outboxRoutes } from './outbox-routes';
import { overviewRoutes } from './overview-routes';
import { renderDashboardMessage } from './render';
import { responseRoutes } from './response-routes';
import { settingsRoutes } from './settings-routes';

export interface DashboardDeps {
  readonly db: Db;
  readonly readDb: Db;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly secret: SessionSecret;
  readonly settings: SurveySettingsSource;
  /** BASE_URL's origin: posts naming another origin are refused; cookies are Secure on https. */
  readonly baseOrigin: string;
  readonly reportTimezone: string;
  readonly minResponses: number;
  readonly publicRateLimitPerMinute: number;
  /** Whether SMTP_URL is unset, so emails are only captured (the Outbox says so). */
  readonly captureMode: boolean;
}

/** The first path segments the dashboard answers; anything else falls through to the 404 page. */
const SECTIONS = new Set(['', 'setup', 'login', 'logout', 'agents', 'agents.csv', 'teams', 'teams.csv', 'channels', 'channels.csv', 'responses', 'responses.csv', 'outbox', 'settings']);

/** PostgreSQL cannot store or compare text with a NUL byte; no dashboard input needs one. */
function carriesNul(req: Request): boolean {
  const values = [...Object.values(req.query as Record<string, unknown>), ...Object.values((req.body ?? {}) as Record<string, unknown>)];
  return /%00/i.test(req.path) || values.some((v) => (Array.isArray(v) ? v : [v]).some((x) => typeof x === 'string' && x.includes('\u0000')));
}

function requireUser(req: Request, res: Response, next: NextFunction): void {
  if (dashboardLocals(res).session) return next();
  res.redirect(303, req.method === 'GET' ? `/login?next=${encodeURIComponent(req.originalUrl)}` : '/login');
}

export function requireAdmin(_req: Request, res: Response, next: NextFunction): void {
  if (dashboardLocals(res).session?.user.role === 'admin') return next();
  renderDashboardMessage(res, 403, 'Admins only', 'Only an admin can open this page. Ask an admin of your Rapport if you need a change here.');
}

export function dashboardRoutes(deps: DashboardDeps): Router {
  const router = Router();
  router.use((req, _res, next) => next(SECTIONS.has(req.path.split('/')[1] ?? '') ? undefined : 'router'));
  router.use(loadDashboardSession({ db: deps.db, clock: deps.clock, secret: deps.secret, baseOrigin: deps.baseOrigin }));
  router.use(express.urlencoded({ extended: false, limit: '64kb', parameterLimit: 100 }));
  router.use((req, res, next) => {
    if (!carriesNul(req)) return next();
    renderDashboardMessage(res, 400, 'Unreadable request', 'The address or the form contained a character Rapport cannot read (a NUL byte). Go back and try again.');
  });
  router.use((req, res, next) => {
    if (req.method !== 'POST') return next();
    const failure = csrfFailure(req, res, deps.baseOrigin);
    if (failure === null) return next();
    deps.logger.warn({ event: 'dashboard.csrf_rejected', reason: failure, path: req.path }, 'form post refused');
    renderDashboardMessage(res, 403, 'This form has expired', 'The form was sent without a valid security token, or from another site. Go back, reload the page and try again.');
  });
  router.use(authRoutes(deps));
  router.use(requireUser);
  router.use(overviewRoutes(deps));
  router.use(groupRoutes(deps));
  router.use(responseRoutes(deps));
  router.use(outboxRoutes(deps));
  router.use('/settings', requireAdmin, settingsRoutes(deps));
  return router;
}
