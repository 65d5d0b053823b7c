import { Router } from 'express';
import { ready, type Lifecycle } from '../http/lifecycle';
import { createToken, getToken, listTokens, revokeToken, type TokenInput } from '../services/tokens';

export function tokenRoutes(lifecycle: Lifecycle): Router {
  const router = Router();
  router.post('/v1/realms/:realm/tokens', async (req, res) => {
    res.status(201).json(await createToken(ready(lifecycle), req.params.realm, req.body as TokenInput));
  });
  router.get('/v1/realms/:realm/tokens', async (req, res) => {
    res.json(await listTokens(ready(lifecycle), req.params.realm));
  });
  router.get('/v1/realms/:realm/tokens/:id', async (req, res) => {
    res.json(await getToken(ready(lifecycle), req.params.realm, req.params.id));
  });
  router.delete('/v1/realms/:realm/tokens/:id', async (req, res) => {
    res.json(await revokeToken(ready(lifecycle), req.params.realm, req.params.id));
  });
  return router;
}
