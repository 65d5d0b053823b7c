import { membershipDomain, userSubject } from '../engine/domains';
import type { Op } from '../engine/records';
import { rulesForMembership } from '../engine/rules';
import type { Tx } from './database';

export type MembershipOp = Extract<Op, { type: 'membership.upserted' | 'membership.deleted' }>;

/** Rows per INSERT: 7 parameters a rule, under PostgreSQL's 65535 bind parameters. */
const CHUNK = 5000;

/**
 * The database half of many membership ops of one realm, each naming a different membership, as a
 * handful of set-based statements (a sync of thousands is not thousands of round trips): their old
 * rules and rows go, the new rows and their derived rules come.
 */
export async function persistMembershipOps(tx: Tx, realm: string, ops: MembershipOp[], revision: number): Promise<void> {
  if (ops.length === 0) return;
  const users = ops.map((op) => op.user);
  const orgs = ops.map((op) => op.org ?? '');
  const subjects = users.map(userSubject);
  const domains = ops.map((op) => membershipDomain(realm, op.org));

  await tx.$executeRaw`
    DELETE FROM casbin_rule r
    USING unnest(${subjects}::text[], ${domains}::text[]) AS k(sub, dom)
    WHERE r.v0 = k.sub AND ((r.ptype = 'p' AND r.v1 = k.dom) OR (r.ptype = 'g' AND r.v2 = k.dom))`;
  await tx.$executeRaw`
    DELETE FROM membership m
    USING unnest(${users}::text[], ${orgs}::text[]) AS k(u, o)
    WHERE m.realm = ${realm} AND m."user" = k.u AND m.org = k.o`;

  const now = new Date();
  const upserts = ops.filter((op): op is Extract<MembershipOp, { type: 'membership.upserted' }> => op.type === 'membership.upserted');
  const rows = upserts.map((op) => ({
    realm,
    user: op.user,
    org: op.org ?? '',
    roles: op.roles,
    permissions: op.permissions,
    expiresAt: op.expiresAt === null ? null : new Date(op.expiresAt),
    revision: BigInt(revision),
    updatedAt: now,
  }));
  for (let i = 0; i < rows.length; i += CHUNK) await tx.membership.createMany({ data: rows.slice(i, i + CHUNK) });

  const rules = upserts.flatMap((op) => {
    const derived = rulesForMembership({ ...op, expiresAt: null, revision });
    return [
      ...derived.p.map(([v0, v1, v2]) => ({ ptype: 'p', v0, v1, v2 })),
      ...derived.g.map(([v0, v1, v2]) => ({ ptype: 'g', v0, v1, v2 })),
    ];
  });
  for (let i = 0; i < rules.length; i += CHUNK) await tx.casbinRule.createMany({ data: rules.slice(i, i + CHUNK) });
}
