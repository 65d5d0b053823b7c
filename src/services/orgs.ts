import { notFound } from '../errors';
import type { Writer } from '../store/writer';
import { requireRealm } from './guards';
import { removedMemberships } from './membershipInput';

export async function putOrg(deps: { writer: Writer }, realm: string, org: string): Promise<{ revision: number; created: boolean }> {
  const { revision, result } = await deps.writer.write(async (tx) => {
    await requireRealm(tx, realm);
    const exists = await tx.org.findUnique({ where: { realm_name: { realm, name: org } } });
    return { changes: exists ? [] : [[{ type: 'org.upserted', realm, org }]], result: !exists };
  });
  return { revision, created: result };
}

/** Deletes an org and every membership in it. */
export async function deleteOrg(deps: { writer: Writer }, realm: string, org: string): Promise<{ revision: number }> {
  const { revision } = await deps.writer.write(async (tx) => {
    await requireRealm(tx, realm);
    if (!(await tx.org.findUnique({ where: { realm_name: { realm, name: org } } }))) throw notFound('org', org);
    const memberships = await removedMemberships(tx, { realm, org });
    return { changes: [[{ type: 'org.deleted', realm, org, memberships }]], result: null };
  });
  return { revision };
}
