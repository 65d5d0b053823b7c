import { notFound } from '../errors';
import { headRevision } from '../store/changeLog';
import type { Database } from '../store/database';
import type { Writer } from '../store/writer';
import { removedMemberships } from './membershipInput';

/** Creates a realm; putting one that exists changes nothing. */
export async function putRealm(deps: { writer: Writer }, realm: string): Promise<{ revision: number; created: boolean }> {
  const { revision, result } = await deps.writer.write(async (tx) => {
    const exists = await tx.realm.findUnique({ where: { name: realm } });
    return { changes: exists ? [] : [[{ type: 'realm.upserted', realm }]], result: !exists };
  });
  return { revision, created: result };
}

/** Deletes a realm and everything in it: orgs, users, roles, memberships and their rules. */
export async function deleteRealm(deps: { writer: Writer }, realm: string): Promise<{ revision: number }> {
  const { revision } = await deps.writer.write(async (tx) => {
    if (!(await tx.realm.findUnique({ where: { name: realm } }))) throw notFound('realm', realm);
    const memberships = await removedMemberships(tx, { realm });
    return { changes: [[{ type: 'realm.deleted', realm, memberships }]], result: null };
  });
  return { revision };
}

export interface RealmSummary {
  realm: string;
  createdAt: string;
  orgs: number;
  users: number;
  memberships: number;
  roles: { name: string; permissions: string[] }[];
  revision: number;
}

export async function getRealm(deps: { db: Database }, realm: string): Promise<RealmSummary> {
  return deps.db.prisma.$transaction(
    async (tx) => {
      const found = await tx.realm.findUnique({ where: { name: realm } });
      if (!found) throw notFound('realm', realm);
      const [orgs, users, memberships, roles, revision] = [
        await tx.org.count({ where: { realm } }),
        await tx.user.count({ where: { realm } }),
        await tx.membership.count({ where: { realm } }),
        await tx.role.findMany({ where: { realm }, orderBy: { name: 'asc' } }),
        await headRevision(tx),
      ];
      return {
        realm,
        createdAt: found.createdAt.toISOString(),
        orgs,
        users,
        memberships,
        roles: roles.map((r) => ({ name: r.name, permissions: r.permissions })),
        revision,
      };
    },
    { isolationLevel: 'RepeatableRead' },
  );
}
