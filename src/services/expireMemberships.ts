import { orgFromKey } from '../engine/realmRecords';
import type { Op } from '../engine/records';
import type { Database } from '../store/database';
import type { Writer } from '../store/writer';
import { rowFields } from './membershipInput';

/**
 * Deletes every membership whose expiresAt has come, each as its own change with reason
 * `expired` (the membership.deleted event subscribers read from the change log).
 */
export async function expireMemberships(deps: { writer: Writer; now: () => number }): Promise<{ expired: number; revision: number }> {
  const now = new Date(deps.now());
  const { revision, result } = await deps.writer.write(async (tx) => {
    const due = await tx.membership.findMany({
      where: { expiresAt: { lte: now } },
      orderBy: [{ expiresAt: 'asc' }, { realm: 'asc' }, { user: 'asc' }, { org: 'asc' }],
      take: 1000,
    });
    const changes = due.map((m): Op[] => [
      { type: 'membership.deleted', realm: m.realm, user: m.user, org: orgFromKey(m.org), reason: 'expired', previous: rowFields(m) },
    ]);
    return { changes, result: due.length };
  });
  return { expired: result, revision };
}

/** When the next membership expires (epoch ms), or null when none will. */
export async function nextExpiry(deps: { db: Database }): Promise<number | null> {
  const agg = await deps.db.prisma.membership.aggregate({ _min: { expiresAt: true } });
  return agg._min.expiresAt?.getTime() ?? null;
}
