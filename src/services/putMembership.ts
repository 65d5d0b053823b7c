import { notFound } from '../errors';
import { readMembershipSlot } from '../store/readMembershipSlot';
import type { Writer } from '../store/writer';
import { requireKnownRoles } from './guards';
import { parseMembership, rowFields, sameMembership, subjectOps, upsertOp, type MembershipInput } from './membershipInput';
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
  const key = { realm, user: spec.user, org: spec.org, roles: spec.roles };
  const outcome = await deps.writer.write<{ created: boolean; unchangedAt: number | null }>(async (tx, read) => {
    const slot = read ?? (await readMembershipSlot(tx, realm, spec.user, spec.org, spec.roles));
    if (!slot.realmExists) throw notFound('realm', realm);
    requireKnownRoles(slot.roles, realm, [spec]);
    const existing = slot.membership;
    requirePrecondition(existing, expected, 'the membership');
    if (existing && sameMembership(existing, spec)) {
      return { changes: [], result: { created: false, unchangedAt: Number(existing.revision) } };
    }
    const ops = [
      ...subjectOps(realm, spec.org !== null && !slot.orgExists ? [spec.org] : [], slot.userExists ? [] : [spec.user]),
      upsertOp(realm, spec, existing ? rowFields(existing) : null),
    ];
    return { changes: [ops], result: { created: !existing, unchangedAt: null } };
  }, key);
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
