import { Router } from 'express';
import { ready, type Lifecycle } from '../http/lifecycle';
import { getEffectivePermissions } from '../services/effectivePermissions';
import { subjectsWithPermission } from '../services/subjectsWithPermission';

export function permissionRoutes(lifecycle: Lifecycle): Router {
  const router = Router();
  router.get('/v1/realms/:realm/users/:user/permissions', (req, res) => {
    const org = typeof req.query.org === 'string' ? req.query.org : null;
    res.json(getEffectivePermissions(ready(lifecycle), req.params.realm, req.params.user, org));
  });
  router.get('/v1/realms/:realm/orgs/:org/subjects', (req, res) => {
    const permission = String(req.query.permission);
    res.json(subjectsWithPermission(ready(lifecycle), req.params.realm, req.params.org, permission));
  });
  return router;
}
