import { eventsOf, type RealmEvent } from '../engine/events';
import { oldestRevision, readChanges } from '../store/changeLog';
import type { Database } from '../store/database';
import { AppError, notFound } from '../errors';
import { isTokenOp } from '../engine/records';

/**
 * The events of a realm, oldest first, after a revision (`limit` counts changes, and a change's
 * events are never split): how subscribers learn of every write, including `membership.deleted`
 * with reason `expired`. Poll with after=<next>; the event stream and webhooks carry the same.
 */
export async function listChanges(
  deps: { db: Database },
  realm: string,
  after: number,
  limit: number,
): Promise<{ events: RealmEvent[]; next: number }> {
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
  const events = changes.flatMap(eventsOf);
  return { events, next: changes.length > 0 ? changes[changes.length - 1].revision : after };
}
