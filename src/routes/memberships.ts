import { Router, type Request, type Response } from 'express';
import { ready, type Lifecycle } from '../http/lifecycle';
import { applyMembershipBatch, planBatch, type MembershipBatch } from '../services/applyMembershipBatch';
import { deleteMembership } from '../services/deleteMembership';
import type { MembershipInput } from '../services/membershipInput';
import { putMembership } from '../services/putMembership';
import { parseIfMatch } from '../services/precondition';
import { previewWrite } from '../services/previewWrite';
import { planSync, syncMemberships } from '../services/syncMemberships';
import { dryRun, previewLimit } from './dryRun';

type MembershipBody = Omit<MembershipInput, 'user' | 'org'>;

export function membershipRoutes(lifecycle: Lifecycle): Router {
  const router = Router();
  const put = (org: (req: Request) => string | null) => async (req: Request, res: Response) => {
    const body = req.body as MembershipBody;
    const { realm, user } = req.params as { realm: string; user: string };
    const result = await putMembership(ready(lifecycle), realm, { ...body, user, org: org(req) }, parseIfMatch(req.get('if-match')));
    res.set('ETag', `"${result.membership.revision}"`);
    res.status(result.created ? 201 : 200).json(result);
  };
  const remove = (org: (req: Request) => string | null) => async (req: Request, res: Response) => {
    const { realm, user } = req.params as { realm: string; user: string };
    res.json(await deleteMembership(ready(lifecycle), realm, user, org(req), parseIfMatch(req.get('if-match'))));
  };
  const inOrg = (req: Request) => (req.params as { org: string }).org;
  const realmLevel = () => null;

  router.put('/v1/realms/:realm/users/:user/memberships/:org', put(inOrg));
  router.delete('/v1/realms/:realm/users/:user/memberships/:org', remove(inOrg));
  router.put('/v1/realms/:realm/users/:user/membership', put(realmLevel));
  router.delete('/v1/realms/:realm/users/:user/membership', remove(realmLevel));

  router.post('/v1/realms/:realm/memberships/batch', async (req, res) => {
    const deps = ready(lifecycle);
    const { realm } = req.params;
    const batch = req.body as MembershipBatch;
    if (dryRun(req)) res.json(await previewWrite(deps, realm, planBatch(deps, realm, batch), previewLimit(req)));
    else res.json(await applyMembershipBatch(deps, realm, batch));
  });
  router.put('/v1/realms/:realm/memberships', async (req, res) => {
    const org = typeof req.query.org === 'string' ? req.query.org : undefined;
    const { memberships } = req.body as { memberships: MembershipInput[] };
    const deps = ready(lifecycle);
    const { realm } = req.params;
    if (dryRun(req)) res.json(await previewWrite(deps, realm, await planSync(deps, realm, { org }, memberships), previewLimit(req)));
    else res.json(await syncMemberships(deps, realm, { org }, memberships));
  });
  return router;
}
