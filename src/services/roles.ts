import { AppError, notFound } from '../errors';
import type { Tx } from '../store/database';
import type { WritePlan, Writer } from '../store/writer';
import { requireRealm } from './guards';
import { parseTags, sameList } from './membershipInput';

export interface PutRoleResult {
  revision: number;
  created: boolean;
  role: string;
  permissions: string[];
}

type RolePlan<T> = (tx: Tx) => Promise<WritePlan<T>>;

/** Defines or redefines a realm-wide role: one write changes it in every org of the realm. */
export async function putRole(
  deps: { writer: Writer },
  realm: string,
  role: string,
  permissions: string[],
): Promise<PutRoleResult> {
  const plan = planPutRole(realm, role, permissions);
  const { revision, result } = await deps.writer.write(plan);
  return { revision, created: result, role, permissions: plan.permissions };
}

/** Validates the tags (a 400 at once) and returns the plan; the result says whether the role is new. */
export function planPutRole(realm: string, role: string, permissions: string[]): RolePlan<boolean> & { permissions: string[] } {
  const tags = parseTags(permissions, 'permissions');
  const plan: RolePlan<boolean> = async (tx) => {
    await requireRealm(tx, realm);
    const existing = await tx.role.findUnique({ where: { realm_name: { realm, name: role } } });
    const unchanged = existing !== null && sameList(existing.permissions, tags);
    return {
      changes: unchanged ? [] : [[{ type: 'role.upserted', realm, role, permissions: tags, previous: existing?.permissions ?? null }]],
      result: !existing,
    };
  };
  return Object.assign(plan, { permissions: tags });
}

/** Deletes a role that no membership holds; one still held is a 409 naming how many hold it. */
export async function deleteRole(deps: { writer: Writer }, realm: string, role: string): Promise<{ revision: number }> {
  const { revision } = await deps.writer.write(planDeleteRole(realm, role));
  return { revision };
}

export function planDeleteRole(realm: string, role: string): RolePlan<null> {
  return async (tx) => {
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
  };
}
