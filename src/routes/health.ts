import { Router } from 'express';
import type { Lifecycle } from '../http/lifecycle';

export function healthRoutes(lifecycle: Lifecycle): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', (_req, res) => {
    const deps = lifecycle.deps;
    if (!deps) {
      res.status(503).json({ ready: false });
      return;
    }
    res.json({ ready: true, revision: deps.state.revision, backend: deps.db.kind });
  });
  return router;
}
