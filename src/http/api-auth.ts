/** Bearer API key authentication for /api/v1. The principal is left in res.locals.apiPrincipal. */
import type { NextFunction, Request, Response } from 'express';
import type { ApiKeyAuthenticator } from '../accounts/api-keys';
import { Unauthorized } from '../errors';

export function requireApiKey(authenticator: ApiKeyAuthenticator) {
  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(req.get('authorization') ?? '');
    const principal = match?.[1] ? await authenticator.authenticate(match[1]) : null;
    if (principal === null) {
      res.set('WWW-Authenticate', 'Bearer realm="rapport"');
      throw new Unauthorized(match ? 'The API key is not valid or has been revoked.' : 'Send an API key as "Authorization: Bearer <key>".');
    }
    res.locals.apiPrincipal = principal;
    next();
  };
}
