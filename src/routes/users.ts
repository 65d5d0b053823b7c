import { Router } from 'express';
import { ready, type Lifecycle } from '../http/lifecycle';
import type { UserState } from '../engine/records';
import { listMemberships } from '../services/listMemberships';
import { deleteUser, putUser } from '../services/users';

export function userRoutes(lifecycle: Lifecycle): Router {
  const router = Router();
  router.put('/v1/realms/:realm/users/:user', async (req, res) => {
    const state = (req.body as { state?: UserState } | undefined)?.state;
    const result = await putUser(ready(lifecycle), req.params.realm, req.params.user, state);
    res.status(result.created ? 201 : 200).json(result);
  });
  router.delete('/v1/realms/:realm/users/:user', async (req, res) => {
    res.json(await deleteUser(ready(lifecycle), req.params.realm, req.params.user));
  });
  router.get('/v1/realms/:realm/users/:user/memberships', async (req, res) => {
    res.json(await listMemberships(ready(lifecycle), req.params.realm, req.params.user));
  });
  return router;
}
