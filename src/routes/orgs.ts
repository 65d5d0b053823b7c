import { Router } from 'express';
import { ready, type Lifecycle } from '../http/lifecycle';
import { deleteOrg, putOrg } from '../services/orgs';

export function orgRoutes(lifecycle: Lifecycle): Router {
  const router = Router();
  router.put('/v1/realms/:realm/orgs/:org', async (req, res) => {
    const result = await putOrg(ready(lifecycle), req.params.realm, req.params.org);
    res.status(result.created ? 201 : 200).json(result);
  });
  router.delete('/v1/realms/:realm/orgs/:org', async (req, res) => {
    res.json(await deleteOrg(ready(lifecycle), req.params.realm, req.params.org));
  });
  return router;
}
