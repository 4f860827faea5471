/**
 * Login cookies and CSRF protection for the dashboard (CONTRACT §5, §6).
 *
 * The session cookie carries the session id and its HMAC under the session secret, so a forged cookie is
 * refused before any database read; the session itself lives in the database (see accounts/sessions.ts).
 * CSRF: a random `rapport_csrf` cookie (set on the first page view, also before login) and, in every
 * form, a token that is the HMAC of that cookie and the current session. A post needs both to match, and
 * a browser that names another origin is refused outright.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { CookieOptions, NextFunction, Request, Response } from 'express';
import { parseCookie } from 'cookie';
import type { Clock } from '../clock';
import type { Db } from '../db/knex';
import { randomToken } from '../accounts/secrets';
import { findSession, SESSION_MAX_MS, type Session } from '../accounts/sessions';
import type { SessionSecret } from '../accounts/session-secret';

export const SESSION_COOKIE = 'rapport_session';
export const CSRF_COOKIE = 'rapport_csrf';
export const CSRF_FIELD = '_csrf';

export interface DashboardSessionDeps {
  readonly db: Db;
  readonly clock: Clock;
  readonly secret: SessionSecret;
  /** BASE_URL's origin; cookies are Secure when it is https. */
  readonly baseOrigin: string;
}

/** What the session middleware leaves on res.locals for routes and views. */
export interface DashboardLocals {
  session: Session | null;
  csrfToken: string;
  csrfCookie: string | null;
  secret: string;
}

export function dashboardLocals(res: Response): DashboardLocals {
  return res.locals as DashboardLocals;
}

function sign(secret: string, purpose: string, value: string): string {
  return createHmac('sha256', secret).update(`${purpose}:${value}`).digest('base64url');
}

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export function cookieOptions(deps: Pick<DashboardSessionDeps, 'baseOrigin'>): CookieOptions {
  return { httpOnly: true, sameSite: 'lax', secure: deps.baseOrigin.startsWith('https:'), path: '/' };
}

function csrfTokenFor(secret: string, csrfCookie: string, session: Session | null): string {
  return sign(secret, 'csrf', `${csrfCookie}:${session?.idHash ?? ''}`);
}

/** Reads the session and prepares the CSRF token of this page view. */
export function loadDashboardSession(deps: DashboardSessionDeps) {
  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    const secret = await deps.secret.get();
    const cookies = parseCookie(req.get('cookie') ?? '');
    let session: Session | null = null;
    const raw = cookies[SESSION_COOKIE];
    if (raw) {
      const dot = raw.lastIndexOf('.');
      const id = raw.slice(0, dot);
      if (dot > 0 && sameText(raw.slice(dot + 1), sign(secret, 'session', id))) session = await findSession(deps.db, deps.clock, id);
    }
    let csrfCookie = cookies[CSRF_COOKIE] ?? null;
    const locals = dashboardLocals(res);
    locals.csrfCookie = csrfCookie;
    if (csrfCookie === null || !/^[\w-]{32,64}$/.test(csrfCookie)) {
      // Only a page view may mint the cookie; a post without it must fail the check below.
      csrfCookie = randomToken(24);
      if (req.method === 'GET') res.cookie(CSRF_COOKIE, csrfCookie, cookieOptions(deps));
    }
    locals.session = session;
    locals.secret = secret;
    locals.csrfToken = csrfTokenFor(secret, csrfCookie, session);
    next();
  };
}

/** Sets the session cookie for a new session's raw id. */
export function setSessionCookie(res: Response, deps: Pick<DashboardSessionDeps, 'baseOrigin'>, sessionId: string): void {
  const { secret } = dashboardLocals(res);
  res.cookie(SESSION_COOKIE, `${sessionId}.${sign(secret, 'session', sessionId)}`, { ...cookieOptions(deps), maxAge: SESSION_MAX_MS });
}

export function clearSessionCookie(res: Response, deps: Pick<DashboardSessionDeps, 'baseOrigin'>): void {
  res.clearCookie(SESSION_COOKIE, cookieOptions(deps));
}

function refererOrigin(referer: string | undefined): string | undefined {
  if (referer === undefined) return undefined;
  try {
    return new URL(referer).origin;
  } catch {
    return 'null';
  }
}

/** Why a post was refused, or null when its origin and CSRF token are good. */
export function csrfFailure(req: Request, res: Response, baseOrigin: string): string | null {
  // Without an Origin header (older browsers, some privacy settings) the Referer's origin stands in.
  const origin = req.get('origin') ?? refererOrigin(req.get('referer'));
  if (origin !== undefined && origin !== baseOrigin && origin !== `${req.protocol}://${req.get('host')}`) return 'cross-origin';
  const locals = dashboardLocals(res);
  const given = (req.body as Record<string, unknown> | undefined)?.[CSRF_FIELD];
  if (locals.csrfCookie === null || typeof given !== 'string') return 'missing-token';
  return sameText(given, csrfTokenFor(locals.secret, locals.csrfCookie, locals.session)) ? null : 'bad-token';
}

/** The signed-in user of a request behind requireUser. */
export function signedInUser(res: Response): Session['user'] {
  const { session } = dashboardLocals(res);
  if (!session) throw new Error('signedInUser used on a route that does not require a user');
  return session.user;
}
