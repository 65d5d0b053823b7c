import { membershipDomain, userSubject } from '../engine/domains';
import type { Op } from '../engine/records';
import { rulesForMembership } from '../engine/rules';
import type { Tx } from './database';

export type MembershipOp = Extract<Op, { type: 'membership.upserted' | 'membership.deleted' }>;

/**
 * The database half of many membership ops of one realm, each naming a different membership, as
 * one set-based statement (a sync of thousands is not thousands of round trips, and a single write
 * is one): the old rules of every membership named go, removed memberships go, the others are
 * stored over their old row, and their derived rules come. The parts of one statement share a
 * snapshot, so the rules inserted are not among those deleted. `revision` is that of every op, or
 * one per op when they come from several changes.
 */
export async function persistMembershipOps(tx: Tx, realm: string, ops: MembershipOp[], revision: number | readonly number[]): Promise<void> {
  if (ops.length === 0) return;
  const revisionOf = (i: number) => (typeof revision === 'number' ? revision : revision[i]);
  const subjects = ops.map((op) => userSubject(op.user));
  const domains = ops.map((op) => membershipDomain(realm, op.org));
  const removed = ops.filter((op) => op.type === 'membership.deleted');
  const upserts = ops.flatMap((op, i) => (op.type === 'membership.upserted' ? [{ op, revision: revisionOf(i) }] : []));
  const rows = upserts.map(({ op, revision }) => ({ u: op.user, o: op.org ?? '', r: op.roles, p: op.permissions, x: op.expiresAt, v: revision }));

  const ptype: string[] = [];
  const v0: string[] = [];
  const v1: string[] = [];
  const v2: string[] = [];
  for (const { op, revision } of upserts) {
    const derived = rulesForMembership({ ...op, expiresAt: null, revision });
    for (const [type, rules] of [['p', derived.p], ['g', derived.g]] as const) {
      for (const rule of rules) {
        ptype.push(type);
        v0.push(rule[0]);
        v1.push(rule[1]);
        v2.push(rule[2]);
      }
    }
  }
  // the rows go in as one JSON document: Prisma's createMany spends more time building a large
  // query than the database takes
  await tx.$executeRaw`
    WITH old_rules AS (
      DELETE FROM casbin_rule r
      USING unnest(${subjects}::text[], ${domains}::text[]) AS k(sub, dom)
      WHERE r.v0 = k.sub AND ((r.ptype = 'p' AND r.v1 = k.dom) OR (r.ptype = 'g' AND r.v2 = k.dom))
    ), gone AS (
      DELETE FROM membership m
      USING unnest(${removed.map((op) => op.user)}::text[], ${removed.map((op) => op.org ?? '')}::text[]) AS k(u, o)
      WHERE m.realm = ${realm} AND m."user" = k.u AND m.org = k.o
    ), stored AS (
      INSERT INTO membership (realm, "user", org, roles, permissions, expires_at, revision, updated_at)
      SELECT ${realm}, m.u, m.o,
             ARRAY(SELECT jsonb_array_elements_text(m.r)), ARRAY(SELECT jsonb_array_elements_text(m.p)),
             m.x::timestamptz, m.v, now()
      FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS m(u text, o text, r jsonb, p jsonb, x text, v bigint)
      ON CONFLICT (realm, "user", org) DO UPDATE
        SET roles = EXCLUDED.roles, permissions = EXCLUDED.permissions, expires_at = EXCLUDED.expires_at,
            revision = EXCLUDED.revision, updated_at = EXCLUDED.updated_at
    )
    INSERT INTO casbin_rule (ptype, v0, v1, v2)
    SELECT * FROM unnest(${ptype}::text[], ${v0}::text[], ${v1}::text[], ${v2}::text[])`;
}
