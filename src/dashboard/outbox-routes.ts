/** The Outbox page: every email with its delivery status (placeholder until built). */
import { Router } from 'express';
import type { DashboardDeps } from './routes';
import { renderDashboardMessage } from './render';

export function outboxRoutes(_deps: DashboardDeps): Router {
  const router = Router();
  router.get('/outbox', (_req, res) => renderDashboardMessage(res, 200, 'Outbox', 'Coming soon.'));
  return router;
}
