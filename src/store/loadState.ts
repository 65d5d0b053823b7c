import { PrismaAdapter } from 'casbin-prisma-adapter';
import { createEnforcer } from '../engine/enforcer';
import { PolicyState } from '../engine/policyState';
import { orgFromKey, RealmRecords } from '../engine/realmRecords';
import type { UserState } from '../engine/records';
import { headRevision } from './changeLog';
import type { Database } from './database';
import { adapterClient } from './transactionAdapter';

/**
 * Loads every record and every Casbin rule (through casbin-prisma-adapter) from one consistent
 * snapshot of the database, and the revision that snapshot stands at.
 */
export async function loadState(db: Database): Promise<PolicyState> {
  return db.prisma.$transaction(
    async (tx) => {
      const revision = await headRevision(tx);
      const enforcer = await createEnforcer(new PrismaAdapter(adapterClient(tx)));
      const state = new PolicyState(enforcer);
      for (const r of await tx.realm.findMany()) state.realms.set(r.name, new RealmRecords());
      const realm = (name: string) => {
        const records = state.realm(name);
        if (!records) throw new Error(`record in unknown realm ${name}`);
        return records;
      };
      for (const o of await tx.org.findMany()) realm(o.realm).orgs.add(o.name);
      for (const u of await tx.user.findMany()) realm(u.realm).users.set(u.name, u.state as UserState);
      for (const r of await tx.role.findMany()) realm(r.realm).roles.set(r.name, r.permissions);
      for (const m of await tx.membership.findMany()) {
        realm(m.realm).putMembership({
          realm: m.realm,
          user: m.user,
          org: orgFromKey(m.org),
          roles: m.roles,
          permissions: m.permissions,
          expiresAt: m.expiresAt ? m.expiresAt.getTime() : null,
          revision: Number(m.revision),
        });
      }
      state.loadedAt(revision);
      return state;
    },
    { isolationLevel: 'RepeatableRead', timeout: 600_000, maxWait: 60_000 },
  );
}
