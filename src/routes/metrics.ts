import { Router } from 'express';
import type { Lifecycle } from '../http/lifecycle';
import type { Metrics } from '../http/metrics';

export function metricsRoutes(lifecycle: Lifecycle, metrics: Metrics): Router {
  const router = Router();
  router.get('/metrics', (_req, res) => {
    res.type('text/plain; version=0.0.4').send(metrics.render(lifecycle.deps));
  });
  return router;
}
