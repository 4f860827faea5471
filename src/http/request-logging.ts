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

/** Masks the secret parts of a request path so it can be logged. */
export function maskUrl(url: string): string {
  return url
    .replace(/^\/([su])\/[^/?#]+/, '/$1/[token]')
    .replace(/([?&]token=)[^&#]*/gi, '$1[token]');
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
