import type { Writer } from '../store/writer';
import { requireRealm, requireRoles } from './guards';
import { createMissingSubjects, parseMembership, rowFields, sameMembership, upsertOp, type MembershipInput } from './membershipInput';
import type { MembershipView } from './membershipView';
import { requirePrecondition, type Precondition } from './precondition';

export interface PutMembershipResult {
  revision: number;
  created: boolean;
  membership: MembershipView;
}

/**
 * Creates or replaces the membership of a user in an org (or the realm-level one when org is
 * null); with `expected`, only if the membership is at that revision (If-Match).
 */
export async function putMembership(
  deps: { writer: Writer; now: () => number },
  realm: string,
  input: MembershipInput,
  expected?: Precondition,
): Promise<PutMembershipResult> {
  const spec = parseMembership(input, '', deps.now());
  const outcome = await deps.writer.write<{ created: boolean; unchangedAt: number | null }>(async (tx) => {
    await requireRealm(tx, realm);
    await requireRoles(tx, realm, [spec]);
    const existing = await tx.membership.findUnique({
      where: { realm_user_org: { realm, user: spec.user, org: spec.org ?? '' } },
    });
    requirePrecondition(existing, expected, 'the membership');
    if (existing && sameMembership(existing, spec)) {
      return { changes: [], result: { created: false, unchangedAt: Number(existing.revision) } };
    }
    const ops = [...(await createMissingSubjects(tx, realm, [spec])), upsertOp(realm, spec, existing ? rowFields(existing) : null)];
    return { changes: [ops], result: { created: !existing, unchangedAt: null } };
  });
  const { created, unchangedAt } = outcome.result;
  return {
    revision: outcome.revision,
    created,
    membership: {
      realm,
      user: spec.user,
      org: spec.org,
      roles: spec.roles,
      permissions: spec.permissions,
      expiresAt: spec.expiresAt,
      revision: unchangedAt ?? outcome.revision,
    },
  };
}
