import { TimeSlice } from '../engine/timeSlice';
import type { Prisma } from '../generated/prisma/client';
import type { Tx } from './database';

/** Rows are read a page at a time when the state is loaded, so that a large policy never sits in memory twice over. */
export const LOAD_PAGE = 20_000;

/**
 * The memberships that match, a page at a time, in key order. A large realm is then never read,
 * nor turned into objects, in one go: between two pages the event loop takes its turn, so checks
 * go on while a sync reads 50,000 rows, and a loading state never holds them all twice over.
 */
export async function* membershipPages(tx: Pick<Tx, 'membership'>, where: Prisma.MembershipWhereInput, pageSize: number) {
  // an embedded database answers on this thread, without a turn of the event loop in between
  const slice = new TimeSlice();
  let cursor: { realm: string; user: string; org: string } | undefined;
  for (;;) {
    const after = cursor
      ? { OR: [{ realm: { gt: cursor.realm } }, { realm: cursor.realm, user: { gt: cursor.user } }, { realm: cursor.realm, user: cursor.user, org: { gt: cursor.org } }] }
      : {};
    const rows = await tx.membership.findMany({
      where: { AND: [where, after] },
      orderBy: [{ realm: 'asc' }, { user: 'asc' }, { org: 'asc' }],
      take: pageSize,
    });
    yield rows;
    if (rows.length < pageSize) return;
    await slice.checkpoint();
    const last = rows[rows.length - 1];
    cursor = { realm: last.realm, user: last.user, org: last.org };
  }
}

/** Every matching membership, read a page at a time (see membershipPages). */
export async function readMemberships(tx: Pick<Tx, 'membership'>, where: Prisma.MembershipWhereInput, pageSize = 1000) {
  const rows = [];
  for await (const page of membershipPages(tx, where, pageSize)) rows.push(...page);
  return rows;
}
