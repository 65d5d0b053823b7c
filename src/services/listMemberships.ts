import { notFound } from '../errors';
import type { Database } from '../store/database';
import { requireRealm } from './guards';
import { membershipView, type MembershipView } from './membershipView';

/** The stored membership records of one user, org-less first, then by org. */
export async function listMemberships(
  deps: { db: Database },
  realm: string,
  user: string,
): Promise<{ user: string; state: string; memberships: MembershipView[] }> {
  const prisma = deps.db.prisma;
  await requireRealm(prisma, realm);
  const found = await prisma.user.findUnique({ where: { realm_name: { realm, name: user } } });
  if (!found) throw notFound('user', user);
  const rows = await prisma.membership.findMany({ where: { realm, user }, orderBy: { org: 'asc' } });
  return { user, state: found.state, memberships: rows.map(membershipView) };
}
