/**
 * Request ids and access logs. Survey and unsubscribe URLs carry capability tokens, and the setup URL a
 * one-time token, so paths are logged with those parts masked; headers are not logged at all.
 *
 * One line per request, written when the response is finished, without a child logger per request:
 * on the survey page (the busiest public path) pino-http's per-request set-up cost ~9 % of the event loop.
 */
import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import type { Logger } from '../config/logger';

declare module 'node:http' {
  interface IncomingMessage {
    /** The request id: the caller's X-Request-Id when it is safe to echo, a new UUID otherwise. */
    id?: string;
  }
}

const SAFE_REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

// Survey and unsubscribe tokens are 43 base64url characters; setup tokens are as long. Express matches
// routes case-insensitively and after dot segments, so /S/<token>, //s/<token> or /x/../s/<token> reach
// the survey too: mask the segment after any s or u segment, and any long base64url run wherever it
// stands (a query string, a percent-encoded path).
const AFTER_TOKEN_SEGMENT = /(\/[su]\/)[^/?#&]+/gi;
const TOKEN_PARAMETER = /([?&]token=)[^&#]*/gi;
const LONG_BASE64URL_RUN = /[A-Za-z0-9_-]{32,}/g;
// Row ids in dashboard paths (/outbox/<uuid>) are no secret and worth keeping.
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Masks the secret parts of a request path so it can be logged. */
export function maskUrl(url: string): string {
  return url.replace(AFTER_TOKEN_SEGMENT, '$1[token]').replace(TOKEN_PARAMETER, '$1[token]').replace(LONG_BASE64URL_RUN, (run) => (UUID.test(run) ? run : '[token]'));
}

export function requestLogging(logger: Logger) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const incoming = req.headers['x-request-id'];
    const id = typeof incoming === 'string' && SAFE_REQUEST_ID.test(incoming) ? incoming : randomUUID();
    req.id = id;
    res.setHeader('x-request-id', id);
    // Health probes every few seconds would drown everything else.
    if (req.url === '/healthz' || req.url === '/readyz') return next();
    const started = performance.now();
    const line = () => ({ req: { id, method: req.method, url: maskUrl(req.originalUrl) }, res: { statusCode: res.statusCode }, responseTime: Math.round(performance.now() - started) });
    res.once('close', () => {
      if (!res.writableFinished) logger.warn(line(), 'request aborted');
      else if (res.statusCode >= 500) logger.error(line(), 'request errored');
      else logger.info(line(), 'request completed');
    });
    next();
  };
}
