import { Router } from 'express';
import { ready, type Lifecycle } from '../http/lifecycle';
import { deleteRealm, getRealm, putRealm } from '../services/realms';
import { listChanges } from '../services/listChanges';

export function realmRoutes(lifecycle: Lifecycle): Router {
  const router = Router();
  router.put('/v1/realms/:realm', async (req, res) => {
    const result = await putRealm(ready(lifecycle), req.params.realm);
    res.status(result.created ? 201 : 200).json(result);
  });
  router.get('/v1/realms/:realm', async (req, res) => {
    res.json(await getRealm(ready(lifecycle), req.params.realm));
  });
  router.delete('/v1/realms/:realm', async (req, res) => {
    res.json(await deleteRealm(ready(lifecycle), req.params.realm));
  });
  router.get('/v1/realms/:realm/changes', async (req, res) => {
    const after = Number(req.query.after ?? 0);
    const limit = Number(req.query.limit ?? 100);
    res.json(await listChanges(ready(lifecycle), req.params.realm, after, limit));
  });
  return router;
}
