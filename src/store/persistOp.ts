import { membershipDomain, realmDomainPrefix, roleDomain, roleSubject, userSubject } from '../engine/domains';
import type { Op } from '../engine/records';
import { rulesForRole } from '../engine/rules';
import type { Tx } from './database';
import { persistMembershipOps, type MembershipOp } from './persistMemberships';
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
  }
}

/**
 * Persists a change's ops in order; runs of membership ops (what batches and syncs consist of) go
 * through the set-based path, split wherever a membership would appear twice in one run.
 */
export async function persistChange(tx: Tx, ops: Op[], revision: number): Promise<void> {
  let run: MembershipOp[] = [];
  let keys = new Set<string>();
  const flush = async () => {
    if (run.length > 0) await persistMembershipOps(tx, run[0].realm, run, revision);
    run = [];
    keys = new Set();
  };
  for (const op of ops) {
    if (op.type !== 'membership.upserted' && op.type !== 'membership.deleted') {
      await flush();
      await persistOp(tx, op, revision);
      continue;
    }
    const key = `${op.realm}\u0000${op.user}\u0000${op.org ?? ''}`;
    if (keys.has(key) || (run.length > 0 && run[0].realm !== op.realm)) await flush();
    run.push(op);
    keys.add(key);
  }
  await flush();
}
