import { Router, type Request } from 'express';
import { ready, type Lifecycle } from '../http/lifecycle';
import { DEFAULT_PAGE, listOrgs, listRealmMemberships, listUsers, type Page } from '../services/listRealmRecords';

/** `?cursor=&limit=` of a listing (openapi.yaml bounds limit). */
const page = (req: Request): Page => ({
  cursor: req.query.cursor === undefined ? undefined : String(req.query.cursor),
  limit: req.query.limit === undefined ? DEFAULT_PAGE : Number(req.query.limit),
});

/** Whole-realm listings, page by page: what an export reads. */
export function realmListingRoutes(lifecycle: Lifecycle): Router {
  const router = Router();
  router.get('/v1/realms/:realm/users', async (req, res) => {
    res.json(await listUsers(ready(lifecycle), req.params.realm, page(req)));
  });
  router.get('/v1/realms/:realm/orgs', async (req, res) => {
    res.json(await listOrgs(ready(lifecycle), req.params.realm, page(req)));
  });
  router.get('/v1/realms/:realm/memberships', async (req, res) => {
    res.json(await listRealmMemberships(ready(lifecycle), req.params.realm, page(req)));
  });
  return router;
}
