/** Liveness (the process answers) and readiness (the database answers) for load balancers. */
import { Router } from 'express';
import { databaseAnswers, type Db } from '../db/knex';

export function healthRoutes(db: Db): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    const ready = await databaseAnswers(db);
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'database unavailable' });
  });
  return router;
}
