import type { Op } from '../engine/records';
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
  const outcome = await deps.writer.write(planSync(deps, realm, scope, memberships));
  return { revision: outcome.revision, ...outcome.result };
}

type SyncCounts = Omit<SyncResult, 'revision'>;

/**
 * Validates the input (throwing a 400 at once) and returns the plan the writer runs in its
 * transaction; a dry-run previews the same plan, so the two cannot disagree.
 */
export function planSync(
  deps: { now: () => number },
  realm: string,
  scope: { org?: string },
  memberships: MembershipInput[],
): (tx: Tx) => Promise<WritePlan<SyncCounts>> {
  const now = deps.now();
  const seen = new Map<string, number>();
  const desired = memberships.map((input, i) => {
    const field = `memberships[${i}].`;
    if (scope.org !== undefined && input.org !== undefined && input.org !== scope.org) {
      throw invalid(`${field}org`, `must be '${scope.org}', the org being synced, or be left out`);
    }
    const spec = parseMembership(scope.org === undefined ? input : { ...input, org: scope.org }, field, now);
    const key = membershipKey(spec.user, spec.org);
    if (seen.has(key)) throw invalid(`memberships[${i}]`, `names the same membership as memberships[${seen.get(key)}]`);
    seen.set(key, i);
    return spec;
  });

  return async (tx) => {
    await requireRealm(tx, realm);
    await requireRoles(tx, realm, desired);
    const current = await readMemberships(tx, scope.org === undefined ? { realm } : { realm, org: scope.org });
    const changed = changedMemberships(current, desired);
    const gone = current.filter((r) => !seen.has(membershipKey(r.user, rowOrg(r))));
    const ops: Op[] = [
      ...(await createMissingSubjects(tx, realm, changed.map((c) => c.spec))),
      ...gone.map((r): Op => ({ type: 'membership.deleted', realm, user: r.user, org: rowOrg(r), reason: 'sync', previous: rowFields(r) })),
      ...changed.map((c) => upsertOp(realm, c.spec, c.previous)),
    ];
    return {
      changes: [ops],
      result: { upserted: changed.length, deleted: gone.length, unchanged: desired.length - changed.length },
    };
  };
}
