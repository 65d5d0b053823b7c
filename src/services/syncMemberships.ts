import type { Op } from '../engine/records';
import { TimeSlice } from '../engine/timeSlice';
import { invalid } from '../errors';
import type { Tx } from '../store/database';
import { readMemberships } from '../store/membershipPages';
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
  type MembershipSpec,
} from './membershipInput';

export interface SyncResult {
  revision: number;
  upserted: number;
  deleted: number;
  unchanged: number;
}

/**
 * Reconciles the memberships of a whole realm (org undefined) or of one org to exactly the given
 * set, in one change: missing ones are created, different ones replaced, the rest deleted.
 */
export async function syncMemberships(
  deps: { writer: Writer; now: () => number },
  realm: string,
  scope: { org?: string },
  memberships: MembershipInput[],
): Promise<SyncResult> {
  const outcome = await deps.writer.write(await planSync(deps, realm, scope, memberships));
  return { revision: outcome.revision, ...outcome.result };
}

type SyncCounts = Omit<SyncResult, 'revision'>;

/**
 * Validates the input (throwing a 400) and returns the plan the writer runs in its transaction; a
 * dry-run previews the same plan, so the two cannot disagree. A sync may name tens of thousands of
 * memberships: validating them, and comparing them with what is stored, is done in slices between
 * which checks are answered.
 */
export async function planSync(
  deps: { now: () => number },
  realm: string,
  scope: { org?: string },
  memberships: MembershipInput[],
): Promise<(tx: Tx) => Promise<WritePlan<SyncCounts>>> {
  const now = deps.now();
  const seen = new Map<string, number>();
  const desired: MembershipSpec[] = [];
  const validating = new TimeSlice();
  for (const [i, input] of memberships.entries()) {
    const field = `memberships[${i}].`;
    if (scope.org !== undefined && input.org !== undefined && input.org !== scope.org) {
      throw invalid(`${field}org`, `must be '${scope.org}', the org being synced, or be left out`);
    }
    const spec = parseMembership(scope.org === undefined ? input : { ...input, org: scope.org }, field, now);
    const key = membershipKey(spec.user, spec.org);
    if (seen.has(key)) throw invalid(`memberships[${i}]`, `names the same membership as memberships[${seen.get(key)}]`);
    seen.set(key, i);
    desired.push(spec);
    if (validating.due()) await validating.pause();
  }

  return async (tx) => {
    await requireRealm(tx, realm);
    await requireRoles(tx, realm, desired);
    const current = await readMemberships(tx, scope.org === undefined ? { realm } : { realm, org: scope.org });
    const slice = new TimeSlice();
    const changed = await changedMemberships(current, desired, slice);
    const ops: Op[] = await createMissingSubjects(tx, realm, changed.map((c) => c.spec));
    let deleted = 0;
    for (const r of current) {
      if (!seen.has(membershipKey(r.user, rowOrg(r)))) {
        ops.push({ type: 'membership.deleted', realm, user: r.user, org: rowOrg(r), reason: 'sync', previous: rowFields(r) });
        deleted += 1;
      }
      if (slice.due()) await slice.pause();
    }
    for (const c of changed) {
      ops.push(upsertOp(realm, c.spec, c.previous));
      if (slice.due()) await slice.pause();
    }
    return {
      changes: [ops],
      result: { upserted: changed.length, deleted, unchanged: desired.length - changed.length },
    };
  };
}
