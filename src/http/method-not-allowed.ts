/** 405 with an Allow header for a path's other methods, instead of the 404 Express would fall through to. */
import type { RequestHandler } from 'express';
import { DomainError } from '../errors';

export function methodNotAllowed(...allowed: readonly string[]): RequestHandler {
  // Express answers HEAD with a GET route.
  const allow = (allowed.includes('GET') ? [...allowed, 'HEAD'] : [...allowed]).join(', ');
  return (_req, res) => {
    res.setHeader('Allow', allow);
    throw new DomainError('method_not_allowed', `This endpoint takes ${allowed.join(' or ')} only.`);
  };
}
