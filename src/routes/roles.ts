import { Router } from 'express';
import { ready, type Lifecycle } from '../http/lifecycle';
import { previewWrite } from '../services/previewWrite';
import { deleteRole, planDeleteRole, planPutRole, putRole } from '../services/roles';
import { dryRun, previewLimit } from './dryRun';

export function roleRoutes(lifecycle: Lifecycle): Router {
  const router = Router();
  router.put('/v1/realms/:realm/roles/:role', async (req, res) => {
    const { permissions } = req.body as { permissions: string[] };
    const deps = ready(lifecycle);
    const { realm, role } = req.params;
    if (dryRun(req)) {
      res.json(await previewWrite(deps, realm, planPutRole(realm, role, permissions), previewLimit(req)));
      return;
    }
    const result = await putRole(deps, realm, role, permissions);
    res.status(result.created ? 201 : 200).json(result);
  });
  router.delete('/v1/realms/:realm/roles/:role', async (req, res) => {
    const deps = ready(lifecycle);
    const { realm, role } = req.params;
    if (dryRun(req)) res.json(await previewWrite(deps, realm, planDeleteRole(realm, role), previewLimit(req)));
    else res.json(await deleteRole(deps, realm, role));
  });
  return router;
}
