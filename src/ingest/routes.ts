/** POST /api/v1/interactions: content type, then JSON (≤ 64 KiB), then the contract's validation. */
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

export function ingestRoutes(deps: IngestRouteDeps): Router {
  const router = Router();
  router.post(
    '/interactions',
    (req, _res, next) => {
      if (!req.is('application/json')) return next(new DomainError('unsupported_media_type', 'Send the trigger as application/json.'));
      next();
    },
    express.json({ limit: MAX_BODY_BYTES, strict: false }),
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
