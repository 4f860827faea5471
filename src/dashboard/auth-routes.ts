/**
 * First-run setup, login and logout (CONTRACT §5). Login failures answer 401 with the form and one
 * message that does not tell whether the email exists; the route is rate limited per client IP.
 */
import { Router, type Request, type Response } from 'express';
import { authenticate } from '../accounts/authenticate';
import { completeSetup, SetupClosed, setupOpen } from '../accounts/first-run-setup';
import { endSession, startSession } from '../accounts/sessions';
import { MIN_PASSWORD_LENGTH } from '../accounts/users';
import type { Clock } from '../clock';
import type { Logger } from '../config/logger';
import type { Db } from '../db/knex';
import { ValidationFailed } from '../errors';
import { clearSessionCookie, dashboardLocals, setSessionCookie } from '../http/dashboard-session';
import { loginAttemptLimit, publicRateLimit } from '../http/rate-limit';
import { formText, safeNextPath } from './form';
import { renderDashboard, renderDashboardMessage } from './render';

export interface AuthRouteDeps {
  readonly db: Db;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly baseOrigin: string;
  readonly publicRateLimitPerMinute: number;
}

export function authRoutes(deps: AuthRouteDeps): Router {
  const router = Router();
  const limited = publicRateLimit(deps.publicRateLimitPerMinute, (_req, res) =>
    renderDashboardMessage(res, 429, 'Too many attempts', 'Too many requests came from your address. Wait a minute and try again.'),
  );

  const perAccount = loginAttemptLimit(
    (req) => (formText(req.body as Record<string, unknown>, 'email') ?? '').trim().toLowerCase(),
    (_req, res) => renderDashboardMessage(res, 429, 'Too many attempts', 'There were too many failed sign-ins for this account. Wait 15 minutes and try again, or ask an admin.'),
  );

  const loginForm = (res: Response, status: number, email: string, error: string | null, next: string): void =>
    renderDashboard(res, status, 'login', { title: 'Sign in', email, error, next });

  router.get('/login', limited, (req, res) => {
    if (dashboardLocals(res).session) return res.redirect(303, '/');
    loginForm(res, 200, '', null, safeNextPath(req.query.next));
  });

  router.post('/login', limited, perAccount, async (req, res) => {
    const body = req.body as Record<string, unknown>;
    const email = formText(body, 'email') ?? '';
    const password = formText(body, 'password') ?? '';
    const next = safeNextPath(body.next);
    const user = email && password ? await authenticate(deps.db, email, password) : null;
    if (!user) {
      deps.logger.info({ event: 'dashboard.login_failed' }, 'login failed');
      return loginForm(res, 401, email, 'That email and password do not match an active account.', next);
    }
    // A fresh session id on every login: an id planted before login never becomes a session, and the
    // browser's previous session, if any, ends rather than lingering until it expires.
    const previous = dashboardLocals(res).session;
    if (previous) await endSession(deps.db, previous.idHash);
    setSessionCookie(res, deps, await startSession(deps.db, deps.clock, user.id));
    deps.logger.info({ event: 'dashboard.login', userId: user.id }, 'user signed in');
    res.redirect(303, next);
  });

  router.post('/logout', async (_req, res) => {
    const { session } = dashboardLocals(res);
    if (session) await endSession(deps.db, session.idHash);
    clearSessionCookie(res, deps);
    res.redirect(303, '/login');
  });

  const setupToken = (req: Request): string => {
    const value = req.method === 'GET' ? req.query.token : (req.body as Record<string, unknown>).token;
    return typeof value === 'string' ? value : '';
  };
  const closed = (res: Response): void => renderDashboardMessage(res, 404, 'Setup is closed', new SetupClosed().message);

  router.get('/setup', limited, async (req, res) => {
    const token = setupToken(req);
    if (!(await setupOpen(deps.db, token))) return closed(res);
    renderDashboard(res, 200, 'setup', { title: 'Create the first admin', token, email: '', name: '', errors: [], minPassword: MIN_PASSWORD_LENGTH });
  });

  router.post('/setup', limited, async (req, res) => {
    const body = req.body as Record<string, unknown>;
    const token = setupToken(req);
    const email = formText(body, 'email') ?? '';
    const name = formText(body, 'name') ?? '';
    const password = formText(body, 'password') ?? '';
    if (!(await setupOpen(deps.db, token))) return closed(res);
    const errors: string[] = [];
    // The form asks twice; a client that posts the password once (a script) is taken at its word.
    const confirmation = formText(body, 'password_confirm');
    if (confirmation !== null && confirmation !== password) errors.push('The two passwords differ.');
    try {
      if (errors.length > 0) throw new ValidationFailed([]);
      const user = await completeSetup(deps.db, deps.clock, token, { email, password, ...(name ? { name } : {}) });
      setSessionCookie(res, deps, await startSession(deps.db, deps.clock, user.id));
      deps.logger.info({ event: 'dashboard.setup_completed', userId: user.id }, 'first admin created');
      res.redirect(303, '/');
    } catch (error) {
      if (error instanceof SetupClosed) return closed(res);
      if (!(error instanceof ValidationFailed)) throw error;
      for (const issue of error.details?.errors ?? []) errors.push(`${issue.path === 'email' ? 'Email' : issue.path === 'password' ? 'Password' : 'Name'} ${issue.message.replace(/^Invalid email address$/, 'must be a valid email address')}`);
      renderDashboard(res, 422, 'setup', { title: 'Create the first admin', token, email, name, errors, minPassword: MIN_PASSWORD_LENGTH });
    }
  });
  return router;
}
