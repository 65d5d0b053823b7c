import type { Change, Op } from '../engine/records';
import type { Tx } from './database';

const WRITE_LOCK_KEY = 72707370; // arbitrary, fixed: "realmgate writes"

/**
 * Serialises writers across every process sharing the database, for the rest of the transaction.
 * Revisions are then handed out in commit order without gaps, which is what lets a reader tell a
 * missed change from one that does not exist.
 */
export async function lockWrites(tx: Tx): Promise<void> {
  await tx.$queryRaw`SELECT pg_advisory_xact_lock(${WRITE_LOCK_KEY}::bigint)::text AS locked`;
}

export async function headRevision(tx: Pick<Tx, 'change'>): Promise<number> {
  const agg = await tx.change.aggregate({ _max: { revision: true } });
  return Number(agg._max.revision ?? 0n);
}

export async function appendChange(tx: Tx, change: Change): Promise<void> {
  await tx.change.create({
    data: {
      revision: BigInt(change.revision),
      realm: change.realm,
      kind: change.ops.length === 1 ? change.ops[0].type : 'batch',
      payload: { ops: change.ops } as unknown as object,
    },
  });
}

export interface StoredChange extends Change {
  at: Date;
}

export async function readChanges(
  db: Pick<Tx, 'change'>,
  options: { after: number; realm?: string; limit: number },
): Promise<StoredChange[]> {
  const rows = await db.change.findMany({
    where: { revision: { gt: BigInt(options.after) }, ...(options.realm ? { realm: options.realm } : {}) },
    orderBy: { revision: 'asc' },
    take: options.limit,
  });
  return rows.map((r) => ({
    revision: Number(r.revision),
    realm: r.realm,
    ops: (r.payload as unknown as { ops: Op[] }).ops,
    at: r.createdAt,
  }));
}
