import { PolicyState } from '../engine/policyState';
import { orgFromKey, RealmRecords } from '../engine/realmRecords';
import type { UserState } from '../engine/records';
import { TokenTable } from '../engine/tokenTable';
import { headRevision } from './changeLog';
import type { Database, Tx } from './database';
import { Interner } from './interner';
import { LOAD_PAGE, membershipPages } from './membershipPages';

/**
 * Loads the records (of the served realms when there is a list) from one consistent snapshot of
 * the database, and the revision that snapshot stands at. Casbin's rules stay in the database:
 * checks decide on the records (see PolicyState).
 */
export async function loadState(db: Database, realms?: readonly string[], pageSize = LOAD_PAGE): Promise<PolicyState> {
  return db.prisma.$transaction(
    async (tx) => {
      const revision = await headRevision(tx);
      const only = realms === undefined ? undefined : { in: [...realms] };
      const inRealms = { where: { realm: only } };
      const realmNames = (await tx.realm.findMany({ where: { name: only } })).map((r) => r.name);
      const orgs = await tx.org.findMany(inRealms);

      const intern = new Interner();
      const state = new PolicyState(realms === undefined ? undefined : new Set(realms));
      for (const name of realmNames) state.realms.set(name, new RealmRecords());
      const realm = (name: string) => {
        const records = state.realm(name);
        if (!records) throw new Error(`record in unknown realm ${name}`);
        return records;
      };
      for (const o of orgs) realm(o.realm).orgs.add(intern.get(o.name));
      for (const u of await tx.user.findMany(inRealms)) realm(u.realm).users.set(intern.get(u.name), u.state as UserState);
      for (const r of await tx.role.findMany(inRealms)) realm(r.realm).roles.set(intern.get(r.name), intern.all(r.permissions));
      for await (const page of membershipPages(tx, { realm: only }, pageSize)) {
        for (const m of page) {
          realm(m.realm).putMembership({
            realm: intern.get(m.realm),
            user: intern.get(m.user),
            org: orgFromKey(intern.get(m.org)),
            roles: intern.all(m.roles),
            permissions: intern.all(m.permissions),
            expiresAt: m.expiresAt ? m.expiresAt.getTime() : null,
            revision: Number(m.revision),
          });
        }
      }
      // every realm's tokens, whatever realms are served
      const tokens = await tx.apiToken.findMany();
      state.loadTokens(
        TokenTable.from(
          tokens.map((t) => ({ ...t, createdAt: t.createdAt.toISOString(), expiresAt: t.expiresAt ? t.expiresAt.toISOString() : null })),
        ),
      );
      state.loadedAt(revision);
      return state;
    },
    { isolationLevel: 'RepeatableRead', timeout: 600_000, maxWait: 60_000 },
  );
}

