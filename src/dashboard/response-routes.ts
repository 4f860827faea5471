import { Router } from 'express';
import type { DashboardDeps } from './routes';
import { renderDashboardMessage } from './render';

export function responseRoutes(_deps: DashboardDeps): Router {
  const router = Router();
  router.get('/responses', (_req, res) => renderDashboardMessage(res, 200, 'Responses', 'Coming soon.'));
  return router;
}
