import { AppError, notFound } from '../errors';
import type { Writer } from '../store/writer';
import { requireRealm } from './guards';
import { parseTags, sameList } from './membershipInput';

export interface PutRoleResult {
  revision: number;
  created: boolean;
  role: string;
  permissions: string[];
}

/** Defines or redefines a realm-wide role: one write changes it in every org of the realm. */
export async function putRole(
  deps: { writer: Writer },
  realm: string,
  role: string,
  permissions: string[],
): Promise<PutRoleResult> {
  const tags = parseTags(permissions, 'permissions');
  const { revision, result } = await deps.writer.write(async (tx) => {
    await requireRealm(tx, realm);
    const existing = await tx.role.findUnique({ where: { realm_name: { realm, name: role } } });
    const unchanged = existing !== null && sameList(existing.permissions, tags);
    return {
      changes: unchanged ? [] : [[{ type: 'role.upserted', realm, role, permissions: tags, previous: existing?.permissions ?? null }]],
      result: !existing,
    };
  });
  return { revision, created: result, role, permissions: tags };
}

/** Deletes a role that no membership holds; one still held is a 409 naming how many hold it. */
export async function deleteRole(deps: { writer: Writer }, realm: string, role: string): Promise<{ revision: number }> {
  const { revision } = await deps.writer.write(async (tx) => {
    await requireRealm(tx, realm);
    const existing = await tx.role.findUnique({ where: { realm_name: { realm, name: role } } });
    if (!existing) throw notFound('role', role);
    const holders = await tx.membership.count({ where: { realm, roles: { has: role } } });
    if (holders > 0) {
      throw new AppError(409, 'role_in_use', `role '${role}' is held by ${holders} membership(s); remove it from them first`, undefined, {
        memberships: holders,
      });
    }
    return { changes: [[{ type: 'role.deleted', realm, role, permissions: existing.permissions }]], result: null };
  });
  return { revision };
}
