import { Router } from 'express';
import { ready, type Lifecycle } from '../http/lifecycle';
import { deleteRole, putRole } from '../services/roles';

export function roleRoutes(lifecycle: Lifecycle): Router {
  const router = Router();
  router.put('/v1/realms/:realm/roles/:role', async (req, res) => {
    const { permissions } = req.body as { permissions: string[] };
    const result = await putRole(ready(lifecycle), req.params.realm, req.params.role, permissions);
    res.status(result.created ? 201 : 200).json(result);
  });
  router.delete('/v1/realms/:realm/roles/:role', async (req, res) => {
    res.json(await deleteRole(ready(lifecycle), req.params.realm, req.params.role));
  });
  return router;
}
