/**
 * Fixed-window rate limits (per API key on /api, per client IP on public pages). Counters live in
 * each process's memory: with N servers behind a balancer the effective limit is up to N times higher.
 */
import type { Request, RequestHandler, Response } from 'express';
import { ipKeyGenerator, rateLimit } from 'express-rate-limit';
import type { ApiPrincipal } from '../accounts/api-keys';
import { problem, sendProblem } from './problem';

function retryAfterSeconds(req: Request): number {
  const reset = (req as Request & { rateLimit?: { resetTime?: Date } }).rateLimit?.resetTime;
  return reset ? Math.max(1, Math.ceil((reset.getTime() - Date.now()) / 1000)) : 60;
}

interface LimitWindow {
  readonly ms: number;
  /** Requests allowed per window; 0 turns the limit off. */
  readonly limit: number;
  /** Count only requests that fail (status ≥ 400). */
  readonly failuresOnly?: boolean;
}

function limiter(window: LimitWindow, keyOf: (req: Request, res: Response) => string, onLimited: (req: Request, res: Response) => void): RequestHandler {
  if (window.limit === 0) return (_req, _res, next) => next();
  return rateLimit({
    windowMs: window.ms,
    limit: window.limit,
    skipSuccessfulRequests: window.failuresOnly ?? false,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    keyGenerator: keyOf,
    validate: { keyGeneratorIpFallback: false },
    handler: (req, res) => {
      res.set('Retry-After', String(retryAfterSeconds(req)));
      onLimited(req, res);
    },
  });
}

export function apiRateLimit(perMinute: number): RequestHandler {
  return limiter(
    { ms: 60_000, limit: perMinute },
    (_req, res) => (res.locals.apiPrincipal as ApiPrincipal).apiKeyId,
    (_req, res) => sendProblem(res, problem('rate_limited', `This API key sent more than ${perMinute} requests in a minute.`)),
  );
}

/** For /s/*, /u/* and /login; `render` answers the person in HTML. */
export function publicRateLimit(perMinute: number, render: (req: Request, res: Response) => void): RequestHandler {
  return limiter({ ms: 60_000, limit: perMinute }, (req) => ipKeyGenerator(req.ip ?? 'unknown'), render);
}

/** Failed sign-ins allowed per account in LOGIN_WINDOW_MS, from any number of addresses. */
export const LOGIN_FAILURES_PER_ACCOUNT = 10;
const LOGIN_WINDOW_MS = 15 * 60_000;

/**
 * Guards each account against password guessing spread over many addresses: after ten failed sign-ins
 * within 15 minutes, that email is refused (429) until the window passes. Successful sign-ins don't count.
 */
export function loginAttemptLimit(emailOf: (req: Request) => string, render: (req: Request, res: Response) => void): RequestHandler {
  return limiter({ ms: LOGIN_WINDOW_MS, limit: LOGIN_FAILURES_PER_ACCOUNT, failuresOnly: true }, (req) => `login:${emailOf(req)}`, render);
}
