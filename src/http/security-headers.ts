/**
 * Security headers on every response (CONTRACT §6): a CSP without inline script that forbids framing,
 * nosniff, a same-origin referrer policy (survey pages tighten it to no-referrer), HSTS only over https.
 * helmet computes the values; they depend only on configuration, so they are computed once and each
 * response gets them in one loop instead of a dozen middleware calls.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { NextFunction, Request, Response } from 'express';
import helmet from 'helmet';
import type { Config } from '../config/config';

function helmetHeaders(https: boolean): [string, string][] {
  const headers = new Map<string, string>();
  const removed = new Set<string>();
  const res = {
    setHeader: (name: string, value: string | number | readonly string[]) => void headers.set(name, String(value)),
    removeHeader: (name: string) => void removed.add(name.toLowerCase()),
    getHeader: () => undefined,
  } as unknown as ServerResponse;
  let error: unknown = null;
  helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        'default-src': ["'self'"],
        'script-src': ["'self'"],
        'style-src': ["'self'"],
        // No external requests from our pages: a logo hosted elsewhere is shown in emails only.
        'img-src': ["'self'", 'data:'],
        'font-src': ["'self'"],
        'connect-src': ["'self'"],
        'object-src': ["'none'"],
        'base-uri': ["'none'"],
        'form-action': ["'self'"],
        'frame-ancestors': ["'none'"],
        ...(https ? { 'upgrade-insecure-requests': [] } : {}),
      },
    },
    referrerPolicy: { policy: 'same-origin' },
    strictTransportSecurity: https ? { maxAge: 15552000 } : false,
    crossOriginEmbedderPolicy: false,
    xFrameOptions: { action: 'deny' },
  })({} as IncomingMessage, res, (e?: unknown) => {
    error = e ?? null;
  });
  if (error) throw error;
  return [...headers];
}

/** The headers every response carries, as name and value pairs (also on what Node's server answers by itself, see http-server). */
export function securityHeaderList(config: Pick<Config, 'baseUrl'>): readonly (readonly [string, string])[] {
  return helmetHeaders(config.baseUrl.startsWith('https:'));
}

export function securityHeaders(config: Pick<Config, 'baseUrl'>) {
  const headers = securityHeaderList(config);
  return (_req: Request, res: Response, next: NextFunction): void => {
    for (const [name, value] of headers) res.setHeader(name, value);
    res.removeHeader('X-Powered-By');
    next();
  };
}
