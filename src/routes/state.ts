import { Router } from 'express';
import { ready, type Lifecycle } from '../http/lifecycle';
import { stateDigest } from '../services/stateDigest';

export function stateRoutes(lifecycle: Lifecycle): Router {
  const router = Router();
  router.get('/v1/state', (_req, res) => {
    res.json(stateDigest(ready(lifecycle).state));
  });
  return router;
}
