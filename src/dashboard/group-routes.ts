import { Router } from 'express';
import type { DashboardDeps } from './routes';
import { renderDashboardMessage } from './render';

export function groupRoutes(_deps: DashboardDeps): Router {
  const router = Router();
  router.get('/agents', (_req, res) => renderDashboardMessage(res, 200, 'Agents', 'Coming soon.'));
  return router;
}
