/**
 * Request ids and access logs. Survey and unsubscribe URLs carry capability tokens, and the setup URL a
 * one-time token, so paths are logged with those parts masked; headers are not logged at all.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import pinoHttp from 'pino-http';
import type { Logger } from '../config/logger';

const SAFE_REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

/** Masks the secret parts of a request path so it can be logged. */
export function maskUrl(url: string): string {
  return url
    .replace(/^\/([su])\/[^/?#]+/, '/$1/[token]')
    .replace(/([?&]token=)[^&#]*/gi, '$1[token]');
}

export function requestLogging(logger: Logger) {
  return pinoHttp({
    logger,
    genReqId: (req: IncomingMessage, res: ServerResponse) => {
      const incoming = req.headers['x-request-id'];
      const id = typeof incoming === 'string' && SAFE_REQUEST_ID.test(incoming) ? incoming : randomUUID();
      res.setHeader('x-request-id', id);
      return id;
    },
    serializers: {
      req: (req: { id: unknown; method: string; url: string }) => ({ id: req.id, method: req.method, url: maskUrl(req.url) }),
      res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
    },
    customLogLevel: (_req, res, error) => (error || res.statusCode >= 500 ? 'error' : 'info'),
    // Health probes every few seconds would drown everything else.
    autoLogging: { ignore: (req) => req.url === '/healthz' || req.url === '/readyz' },
  });
}
