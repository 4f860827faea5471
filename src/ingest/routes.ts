/** POST /api/v1/interactions: content type, then JSON (≤ 64 KiB), then the contract's validation. */
import { isUtf8 } from 'node:buffer';
import express, { Router } from 'express';
import type { Clock } from '../clock';
import { DomainError, ValidationFailed } from '../errors';
import { methodNotAllowed } from '../http/method-not-allowed';
import type { InteractionIngestor } from './report-interaction';
import { presentInteraction } from './presenter';
import { parseTrigger } from './schema';

export const MAX_BODY_BYTES = 64 * 1024;

export interface IngestRouteDeps {
  readonly ingestor: InteractionIngestor;
  readonly clock: Clock;
}

/**
 * The JSON parser would decode bytes that are not UTF-8 as U+FFFD, so two different ids could arrive as
 * one and the second trigger be answered as a duplicate of the first.
 */
function refuseInvalidUtf8(_req: unknown, _res: unknown, body: Buffer, encoding: string): void {
  if (encoding === 'utf-8' && !isUtf8(body)) throw Object.assign(new Error('The request body is not valid UTF-8.'), { status: 400, type: 'encoding.invalid' });
}

export function ingestRoutes(deps: IngestRouteDeps): Router {
  const router = Router();
  router.post(
    '/interactions',
    (req, _res, next) => {
      if (!req.is('application/json')) return next(new DomainError('unsupported_media_type', 'Send the trigger as application/json.'));
      next();
    },
    express.json({ limit: MAX_BODY_BYTES, strict: false, verify: refuseInvalidUtf8 }),
    async (req, res) => {
      const parsed = parseTrigger(req.body, deps.clock());
      if (!parsed.ok) throw new ValidationFailed(parsed.issues);
      const result = await deps.ingestor.report(parsed.trigger);
      res.status(result.duplicate ? 200 : 201).json(presentInteraction(result.record, result.duplicate));
    },
  );
  router.all('/interactions', methodNotAllowed('POST'));
  return router;
}
