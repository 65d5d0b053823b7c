import { membershipDomain, realmDomainPrefix, roleDomain, roleSubject, userSubject } from '../engine/domains';
import type { Op } from '../engine/records';
import { TimeSlice } from '../engine/timeSlice';
import { rulesForRole } from '../engine/rules';
import type { Tx } from './database';
import { recordKey, runKind } from './opRuns';
import { persistMembershipOps, type MembershipOp } from './persistMemberships';
import { persistOrgs, persistUsers, type OrgUpserted, type UserUpserted } from './persistSubjects';
import { TransactionAdapter } from './transactionAdapter';

/**
 * Deletes the rules whose domain lies in a realm (the realm, its orgs, its role domain), or only
 * those of one subject there. Compared with starts_with, not LIKE: realm names may hold "_".
 */
async function dropRealmRules(tx: Tx, realm: string, subject: string | null): Promise<void> {
  const prefix = realmDomainPrefix(realm);
  await tx.$executeRaw`
    DELETE FROM casbin_rule
    WHERE (${subject}::text IS NULL OR v0 = ${subject}::text)
      AND ((ptype = 'p' AND (v1 = ${realm} OR starts_with(v1, ${prefix})))
        OR (ptype = 'g' AND (v2 = ${realm} OR starts_with(v2, ${prefix}))))`;
}

/**
 * The database half of an op: the records and the Casbin rules derived from them, in the caller's
 * transaction. Its memory half is PolicyState.apply; both derive rules through engine/rules.ts.
 */
export async function persistOp(tx: Tx, op: Op, revision: number): Promise<void> {
  const adapter = new TransactionAdapter(tx);
  switch (op.type) {
    case 'realm.upserted':
      await tx.realm.createMany({ data: [{ name: op.realm }], skipDuplicates: true });
      return;
    case 'realm.deleted':
      await dropRealmRules(tx, op.realm, null);
      await tx.membership.deleteMany({ where: { realm: op.realm } });
      await tx.role.deleteMany({ where: { realm: op.realm } });
      await tx.user.deleteMany({ where: { realm: op.realm } });
      await tx.org.deleteMany({ where: { realm: op.realm } });
      await tx.realm.deleteMany({ where: { name: op.realm } });
      await tx.apiToken.deleteMany({ where: { realm: op.realm } });
      // Its webhooks send what happened up to here, this realm.deleted included, and are then
      // removed (feedDeliveries); from now on no route sees them, so a realm re-created under this
      // name starts with none and nothing of it reaches them. A disabled one would send nothing more.
      await tx.webhook.deleteMany({ where: { realm: op.realm, enabled: false } });
      await tx.webhook.updateMany({ where: { realm: op.realm, finalRevision: null }, data: { finalRevision: BigInt(revision) } });
      return;
    case 'org.upserted':
      await tx.org.createMany({ data: [{ realm: op.realm, name: op.org }], skipDuplicates: true });
      return;
    case 'org.deleted': {
      const domain = membershipDomain(op.realm, op.org);
      await tx.casbinRule.deleteMany({ where: { OR: [{ ptype: 'p', v1: domain }, { ptype: 'g', v2: domain }] } });
      await tx.membership.deleteMany({ where: { realm: op.realm, org: op.org } });
      await tx.org.deleteMany({ where: { realm: op.realm, name: op.org } });
      return;
    }
    case 'user.upserted':
      await tx.user.upsert({
        where: { realm_name: { realm: op.realm, name: op.user } },
        create: { realm: op.realm, name: op.user, state: op.state },
        update: { state: op.state },
      });
      return;
    case 'user.deleted':
      await dropRealmRules(tx, op.realm, userSubject(op.user));
      await tx.membership.deleteMany({ where: { realm: op.realm, user: op.user } });
      await tx.user.deleteMany({ where: { realm: op.realm, name: op.user } });
      return;
    case 'role.upserted':
      await adapter.removeFilteredPolicy('p', 'p', 0, roleSubject(op.role), roleDomain(op.realm));
      await adapter.addPolicies('p', 'p', rulesForRole({ realm: op.realm, name: op.role, permissions: op.permissions }));
      await tx.role.upsert({
        where: { realm_name: { realm: op.realm, name: op.role } },
        create: { realm: op.realm, name: op.role, permissions: op.permissions },
        update: { permissions: op.permissions, updatedAt: new Date() },
      });
      return;
    case 'role.deleted':
      await adapter.removeFilteredPolicy('p', 'p', 0, roleSubject(op.role), roleDomain(op.realm));
      await tx.role.deleteMany({ where: { realm: op.realm, name: op.role } });
      return;
    case 'membership.upserted':
    case 'membership.deleted':
      await persistMembershipOps(tx, op.realm, [op], revision);
      return;
    case 'token.created':
      await tx.apiToken.create({
        data: {
          id: op.id,
          realm: op.realm,
          name: op.name,
          scopes: op.scopes,
          hash: op.hash,
          createdAt: new Date(op.createdAt),
          expiresAt: op.expiresAt === null ? null : new Date(op.expiresAt),
        },
      });
      return;
    case 'token.revoked':
      await tx.apiToken.deleteMany({ where: { id: op.id, realm: op.realm } });
      return;
  }
}

const MEMBERSHIPS_PER_STATEMENT = 1000;

/**
 * Persists a change's ops in order. Runs of membership, user and org ops (what batches and syncs
 * consist of) are written set-based, a few statements per run; a run ends where the kind or realm
 * changes or a record would appear twice.
 */
export async function persistChange(tx: Tx, ops: Op[], revision: number): Promise<void> {
  const slice = new TimeSlice();
  let run: Op[] = [];
  let keys = new Set<string>();
  const flush = async () => {
    const first = run[0];
    if (first) {
      const kind = runKind(first);
      // statements of a thousand memberships each: building one for 50,000 would be one long step,
      // with no check answered meanwhile
      if (kind === 'membership') {
        for (let i = 0; i < run.length; i += MEMBERSHIPS_PER_STATEMENT) {
          await persistMembershipOps(tx, first.realm, run.slice(i, i + MEMBERSHIPS_PER_STATEMENT) as MembershipOp[], revision);
          // an embedded database answers on this thread, without a turn of the event loop between statements
          await slice.checkpoint();
        }
      } else if (kind === 'user') await persistUsers(tx, first.realm, run as UserUpserted[]);
      else if (kind === 'org') await persistOrgs(tx, first.realm, run as OrgUpserted[]);
    }
    run = [];
    keys = new Set();
  };
  for (const op of ops) {
    const kind = runKind(op);
    if (kind === null) {
      await flush();
      await persistOp(tx, op, revision);
      continue;
    }
    const key = recordKey(op);
    const first = run[0];
    if (first && (runKind(first) !== kind || first.realm !== op.realm || keys.has(key))) await flush();
    run.push(op);
    keys.add(key);
    if (slice.due()) await slice.pause();
  }
  await flush();
}
