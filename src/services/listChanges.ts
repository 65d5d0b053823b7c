import { oldestRevision, readChanges } from '../store/changeLog';
import type { Database } from '../store/database';
import { AppError, notFound } from '../errors';
import { isTokenOp } from '../engine/records';

export interface ChangeEvent {
  revision: number;
  at: string;
  type: string;
  [key: string]: unknown;
}

/**
 * The change log of a realm as events, oldest first, after a revision: how subscribers learn of
 * every write, including `membership.deleted` with reason `expired`. Poll with after=<last seen>.
 */
export async function listChanges(
  deps: { db: Database },
  realm: string,
  after: number,
  limit: number,
): Promise<{ events: ChangeEvent[]; next: number }> {
  // one snapshot for both reads, so that a compaction in between cannot skip changes unannounced
  const changes = await deps.db.prisma.$transaction(
    async (tx) => {
      // compacted entries are gone: a reader that would miss some is told so rather than skip them silently
      const oldest = await oldestRevision(tx);
      if (oldest !== undefined && after < oldest - 1) {
        throw new AppError(410, 'compacted', `changes up to revision ${oldest - 1} were compacted; read the realm's state again and continue after it`, 'after', { revision: oldest - 1 });
      }
      return readChanges(tx, { after, realm, limit });
    },
    { isolationLevel: 'RepeatableRead' },
  );
  // A deleted realm's history stays readable: its last event is realm.deleted.
  if (changes.length === 0 && !(await deps.db.prisma.realm.findUnique({ where: { name: realm } }))) {
    if ((await deps.db.prisma.change.count({ where: { realm } })) === 0) throw notFound('realm', realm);
  }
  // token ops are credentials, not events of the realm
  const events = changes.flatMap((c) =>
    c.ops.filter((op) => !isTokenOp(op)).map(({ realm: _realm, type, ...fields }) => ({ revision: c.revision, at: c.at.toISOString(), type, ...fields })),
  );
  return { events, next: changes.length > 0 ? changes[changes.length - 1].revision : after };
}
