import { Router } from 'express';
import { ready, type Lifecycle } from '../http/lifecycle';
import type { Metrics } from '../http/metrics';
import { checkAccess, checkAccessBatch, type CheckInput } from '../services/checkAccess';

export function checkRoutes(lifecycle: Lifecycle, metrics: Metrics): Router {
  const router = Router();
  router.post('/v1/check', (req, res) => {
    const result = checkAccess(ready(lifecycle), req.body as CheckInput);
    metrics.countDecisions([result]);
    res.json(result);
  });
  router.post('/v1/check/batch', (req, res) => {
    const results = checkAccessBatch(ready(lifecycle), (req.body as { checks: CheckInput[] }).checks);
    metrics.countDecisions(results);
    res.json({ results });
  });
  return router;
}
