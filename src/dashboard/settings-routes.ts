/** The Settings pages for admins (placeholder until built). */
import { Router } from 'express';
import type { DashboardDeps } from './routes';
import { renderDashboardMessage } from './render';

export function settingsRoutes(_deps: DashboardDeps): Router {
  const router = Router();
  router.get('/', (_req, res) => renderDashboardMessage(res, 200, 'Settings', 'Coming soon.'));
  return router;
}
