import { AppError, notFound } from '../errors';
import type { Tx } from '../store/database';

export async function requireRealm(tx: Pick<Tx, 'realm'>, realm: string): Promise<void> {
  if (!(await tx.realm.findUnique({ where: { name: realm } }))) throw notFound('realm', realm);
}

/** Every role a membership names must exist in its realm; the first that does not is a 422. */
export async function requireRoles(
  tx: Pick<Tx, 'role'>,
  realm: string,
  named: { roles: string[]; roleIndex: number[]; field: string }[],
): Promise<void> {
  if (!named.some((n) => n.roles.length > 0)) return;
  const existing = new Set((await tx.role.findMany({ where: { realm }, select: { name: true } })).map((r) => r.name));
  requireKnownRoles(existing, realm, named);
}

/** requireRoles, against roles already read. */
export function requireKnownRoles(
  existing: ReadonlySet<string>,
  realm: string,
  named: { roles: string[]; roleIndex: number[]; field: string }[],
): void {
  for (const { roles, roleIndex, field } of named) {
    roles.forEach((role, i) => {
      if (!existing.has(role)) {
        const at = `${field}roles[${roleIndex[i]}]`;
        throw new AppError(422, 'unknown_role', `${at}: role '${role}' does not exist in realm '${realm}'`, at);
      }
    });
  }
}
