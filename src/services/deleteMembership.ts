import { AppError } from '../errors';
import type { Writer } from '../store/writer';
import { requireRealm } from './guards';
import { rowFields } from './membershipInput';
import { requirePrecondition, type Precondition } from './precondition';

export async function deleteMembership(
  deps: { writer: Writer },
  realm: string,
  user: string,
  org: string | null,
  expected?: Precondition,
): Promise<{ revision: number }> {
  const { revision } = await deps.writer.write(async (tx) => {
    await requireRealm(tx, realm);
    const existing = await tx.membership.findUnique({ where: { realm_user_org: { realm, user, org: org ?? '' } } });
    requirePrecondition(existing, expected, 'the membership');
    if (!existing) {
      const where = org === null ? 'realm-level membership' : `membership in org '${org}'`;
      throw new AppError(404, 'membership_not_found', `user '${user}' has no ${where}`);
    }
    return { changes: [[{ type: 'membership.deleted', realm, user, org, reason: 'api', previous: rowFields(existing) }]], result: null };
  });
  return { revision };
}
