import { invalid } from '../errors';
import type { Database } from '../store/database';
import { requireRealm } from './guards';
import { membershipView, type MembershipView } from './membershipView';

/** One page of a listing: `next` is the cursor of the following page, null after the last. */
export interface Page {
  cursor?: string;
  limit: number;
}

export const DEFAULT_PAGE = 1000;

/**
 * Memberships are keyed by (user, org) and listed in that order; their cursor is `user/org`
 * ('/' belongs to neither a user id nor an org name; the org is empty for a realm-level one).
 */
function membershipCursor(cursor: string): { user: string; org: string } {
  const at = cursor.indexOf('/');
  if (at < 1) throw invalid('cursor', "must be the `next` of a previous page ('user/org')");
  return { user: cursor.slice(0, at), org: cursor.slice(at + 1) };
}

/** The realm's users with their states, ordered by name. */
export async function listUsers(deps: { db: Database }, realm: string, page: Page): Promise<{ users: { user: string; state: string }[]; next: string | null }> {
  const prisma = deps.db.prisma;
  await requireRealm(prisma, realm);
  const rows = await prisma.user.findMany({
    where: { realm, ...(page.cursor === undefined ? {} : { name: { gt: page.cursor } }) },
    orderBy: { name: 'asc' },
    take: page.limit,
    select: { name: true, state: true },
  });
  const next = rows.length === page.limit ? rows[rows.length - 1].name : null;
  return { users: rows.map((r) => ({ user: r.name, state: r.state })), next };
}

/** The realm's orgs, ordered by name. */
export async function listOrgs(deps: { db: Database }, realm: string, page: Page): Promise<{ orgs: string[]; next: string | null }> {
  const prisma = deps.db.prisma;
  await requireRealm(prisma, realm);
  const rows = await prisma.org.findMany({
    where: { realm, ...(page.cursor === undefined ? {} : { name: { gt: page.cursor } }) },
    orderBy: { name: 'asc' },
    take: page.limit,
    select: { name: true },
  });
  const next = rows.length === page.limit ? rows[rows.length - 1].name : null;
  return { orgs: rows.map((r) => r.name), next };
}

/** The realm's stored memberships, ordered by user, then org (the realm-level one first). */
export async function listRealmMemberships(deps: { db: Database }, realm: string, page: Page): Promise<{ memberships: MembershipView[]; next: string | null }> {
  const prisma = deps.db.prisma;
  const after = page.cursor === undefined ? undefined : membershipCursor(page.cursor);
  await requireRealm(prisma, realm);
  const rows = await prisma.membership.findMany({
    where: { realm, ...(after === undefined ? {} : { OR: [{ user: { gt: after.user } }, { user: after.user, org: { gt: after.org } }] }) },
    orderBy: [{ user: 'asc' }, { org: 'asc' }],
    take: page.limit,
  });
  const last = rows[rows.length - 1];
  const next = rows.length === page.limit ? `${last.user}/${last.org}` : null;
  return { memberships: rows.map(membershipView), next };
}
