import { Router } from 'express';
import type { DashboardDeps } from './routes';
import { renderDashboardMessage } from './render';

export function overviewRoutes(_deps: DashboardDeps): Router {
  const router = Router();
  router.get('/', (_req, res) => renderDashboardMessage(res, 200, 'Overview', 'Coming soon.'));
  return router;
}
