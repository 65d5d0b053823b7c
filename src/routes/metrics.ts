import { Router } from 'express';
import type { Metrics } from '../http/metrics';

export function metricsRoutes(metrics: Metrics): Router {
  const router = Router();
  router.get('/metrics', (_req, res, next) => {
    metrics
      .render()
      .then(({ contentType, text }) => {
        res.type(contentType).send(text);
      })
      .catch(next);
  });
  return router;
}
