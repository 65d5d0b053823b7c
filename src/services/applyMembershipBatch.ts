import { NAME_PATTERN, USER_ID_PATTERN } from '../engine/names';
import type { Op } from '../engine/records';
import { invalid } from '../errors';
import type { Tx } from '../store/database';
import type { WritePlan, Writer } from '../store/writer';
import { requireRealm, requireRoles } from './guards';
import {
  changedMemberships,
  createMissingSubjects,
  membershipKey,
  parseMembership,
  rowFields,
  rowOrg,
  upsertOp,
  type MembershipInput,
} from './membershipInput';

export interface MembershipBatch {
  upsert?: MembershipInput[];
  delete?: { user: string; org?: string | null }[];
}

export interface BatchResult {
  revision: number;
  upserted: number;
  deleted: number;
  unchanged: number;
}

/** Upserts and deletes memberships of one realm in one change: all of them, or none. */
export async function applyMembershipBatch(
  deps: { writer: Writer; now: () => number },
  realm: string,
  batch: MembershipBatch,
): Promise<BatchResult> {
  const outcome = await deps.writer.write(planBatch(deps, realm, batch));
  return { revision: outcome.revision, ...outcome.result };
}

type BatchCounts = Omit<BatchResult, 'revision'>;

/**
 * Validates the batch (throwing a 400 at once) and returns the plan the writer runs in its
 * transaction; a dry-run previews the same plan, so the two cannot disagree.
 */
export function planBatch(
  deps: { now: () => number },
  realm: string,
  batch: MembershipBatch,
): (tx: Tx) => Promise<WritePlan<BatchCounts>> {
  const now = deps.now();
  const seen = new Map<string, string>();
  const claim = (user: string, org: string | null, field: string) => {
    const key = membershipKey(user, org);
    const first = seen.get(key);
    if (first !== undefined) throw invalid(field, `names the same membership as ${first}`);
    seen.set(key, field);
  };
  const upserts = (batch.upsert ?? []).map((input, i) => {
    const spec = parseMembership(input, `upsert[${i}].`, now);
    claim(spec.user, spec.org, `upsert[${i}]`);
    return spec;
  });
  const deletes = (batch.delete ?? []).map((d, i) => {
    if (!USER_ID_PATTERN.test(d.user)) throw invalid(`delete[${i}].user`, `must match ${USER_ID_PATTERN.source}`);
    const org = d.org ?? null;
    if (org !== null && !NAME_PATTERN.test(org)) throw invalid(`delete[${i}].org`, `must match ${NAME_PATTERN.source}`);
    claim(d.user, org, `delete[${i}]`);
    return { user: d.user, org };
  });

  return async (tx) => {
    await requireRealm(tx, realm);
    await requireRoles(tx, realm, upserts);
    const users = [...new Set([...upserts, ...deletes].map((m) => m.user))];
    const rows = await tx.membership.findMany({ where: { realm, user: { in: users } } });
    const changed = await changedMemberships(rows, upserts);
    const stored = new Map(rows.map((r) => [membershipKey(r.user, rowOrg(r)), r]));
    const gone = deletes.flatMap((d) => {
      const row = stored.get(membershipKey(d.user, d.org));
      return row ? [{ ...d, previous: rowFields(row) }] : [];
    });
    const ops: Op[] = [
      ...(await createMissingSubjects(tx, realm, changed.map((c) => c.spec))),
      ...changed.map((c) => upsertOp(realm, c.spec, c.previous)),
      ...gone.map((d): Op => ({ type: 'membership.deleted', realm, user: d.user, org: d.org, reason: 'api', previous: d.previous })),
    ];
    return {
      changes: [ops],
      result: { upserted: changed.length, deleted: gone.length, unchanged: upserts.length - changed.length },
    };
  };
}
