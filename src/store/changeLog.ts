import { FLEET_WIDE_KINDS, type Change, type Op } from '../engine/records';
import { TimeSlice } from '../engine/timeSlice';
import type { Tx } from './database';

export const WRITE_LOCK_KEY = 72707370; // arbitrary, fixed: "realmgate writes"
const COMPACT_LOCK_KEY = 72707371;

/** The channel every write notifies on commit; the payload is `<revision> <realm>`. */
export const CHANGE_CHANNEL = 'realmgate_changes';

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

/** Ops a statement carries at most when a group's changes are large (see appendChanges). */
const OPS_PER_STATEMENT = 1000;

const kindOf = (c: Change): string => (c.ops.length === 1 ? c.ops[0].type : 'batch');

/**
 * Appends changes and queues their notifications, in revision order, which PostgreSQL delivers to
 * every listener when (and only if) the transaction commits. Usually one statement, one round trip.
 * Changes of more ops than that (a sync can be tens of thousands, megabytes of JSON) are sent in
 * pieces into change_log_part, between which checks are answered, and put together by PostgreSQL
 * in the statement that takes the pieces out again: Prisma copies a query's parameters through
 * JSON twice, which for one large text is one long step on the service's thread. The pieces never
 * outlive the transaction (a rollback takes them too), and need no privilege beyond the tables'.
 */
export async function appendChanges(tx: Pick<Tx, '$queryRaw' | '$executeRaw'>, changes: Change[]): Promise<void> {
  if (changes.length === 0) return;
  const total = changes.reduce((n, c) => n + c.ops.length, 0);
  if (total <= OPS_PER_STATEMENT) {
    const rows = changes.map((c) => ({ revision: c.revision, realm: c.realm, kind: kindOf(c), payload: { ops: c.ops } }));
    await tx.$queryRaw`
      WITH appended AS (
        INSERT INTO change_log (revision, realm, kind, payload)
        SELECT c.revision, c.realm, c.kind, c.payload
        FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS c(revision bigint, realm text, kind text, payload jsonb)
        RETURNING revision, realm)
      SELECT pg_notify(${CHANGE_CHANNEL}, revision::text || ' ' || realm)::text AS sent FROM (SELECT * FROM appended ORDER BY revision) AS ordered`;
    return;
  }
  const slice = new TimeSlice();
  for await (const pieces of changePieces(changes)) {
    await tx.$executeRaw`
      INSERT INTO change_log_part (revision, n, ops)
      SELECT p.revision, p.n, p.ops FROM jsonb_to_recordset(${pieces}::jsonb) AS p(revision bigint, n int, ops jsonb)`;
    // an embedded database answers on this thread, without a turn of the event loop in between
    await slice.checkpoint();
  }
  const heads = changes.map((c) => ({ revision: c.revision, realm: c.realm, kind: kindOf(c) }));
  await tx.$queryRaw`
    WITH heads AS (
      SELECT * FROM jsonb_to_recordset(${JSON.stringify(heads)}::jsonb) AS c(revision bigint, realm text, kind text)
    ), parts AS (
      DELETE FROM change_log_part p USING heads h WHERE p.revision = h.revision RETURNING p.revision, p.n, p.ops
    ), appended AS (
      INSERT INTO change_log (revision, realm, kind, payload)
      SELECT h.revision, h.realm, h.kind,
             jsonb_build_object('ops', coalesce((
               SELECT jsonb_agg(e.op ORDER BY p.n, e.i)
               FROM parts p CROSS JOIN LATERAL jsonb_array_elements(p.ops) WITH ORDINALITY AS e(op, i)
               WHERE p.revision = h.revision), '[]'::jsonb))
      FROM heads h
      RETURNING revision, realm)
    SELECT pg_notify(${CHANGE_CHANNEL}, revision::text || ' ' || realm)::text AS sent FROM (SELECT * FROM appended ORDER BY revision) AS ordered`;
}

/**
 * The changes' ops as JSON text for the statements that carry them: `[{revision, n, ops}]`, at most
 * OPS_PER_STATEMENT ops each, a piece never spanning two changes, made between pauses for checks.
 */
async function* changePieces(changes: Change[]): AsyncGenerator<string> {
  const slice = new TimeSlice();
  let pieces: string[] = [];
  let ops = 0;
  for (const c of changes) {
    for (let i = 0, n = 0; i < c.ops.length; i += OPS_PER_STATEMENT, n += 1) {
      const part = c.ops.slice(i, i + OPS_PER_STATEMENT);
      if (ops + part.length > OPS_PER_STATEMENT && pieces.length > 0) {
        yield `[${pieces.join(',')}]`;
        pieces = [];
        ops = 0;
      }
      pieces.push(`{"revision":${c.revision},"n":${n},"ops":${JSON.stringify(part)}}`);
      ops += part.length;
      await slice.checkpoint();
    }
  }
  if (pieces.length > 0) yield `[${pieces.join(',')}]`;
}

/** The oldest revision still in the log, or undefined when it is empty. */
export async function oldestRevision(tx: Pick<Tx, 'change'>): Promise<number | undefined> {
  const agg = await tx.change.aggregate({ _min: { revision: true } });
  return agg._min.revision === null ? undefined : Number(agg._min.revision);
}

/**
 * Deletes log entries older than the cutoff, always a prefix of the log (creation times need not
 * follow revisions exactly: writers take their revision under the lock, after their transaction
 * began), and always keeping the newest entry (it carries the head revision). One process at a
 * time; the others skip. Entries that an enabled webhook has yet to queue are kept. Returns how
 * many were deleted.
 */
export async function compactChanges(db: { $transaction: <T>(fn: (tx: Tx) => Promise<T>) => Promise<T> }, before: Date): Promise<number> {
  return db.$transaction(async (tx) => {
    const [{ locked }] = await tx.$queryRaw<{ locked: boolean }[]>`SELECT pg_try_advisory_xact_lock(${COMPACT_LOCK_KEY}::bigint) AS locked`;
    if (!locked) return 0;
    const head = await headRevision(tx);
    const firstKept = await tx.change.findFirst({ where: { createdAt: { gte: before } }, orderBy: { revision: 'asc' }, select: { revision: true } });
    // what enabled webhooks have not yet turned into deliveries stays, however old
    const cursors = await tx.webhook.aggregate({ where: { enabled: true }, _min: { cursor: true } });
    const owed = cursors._min.cursor === null ? head : Number(cursors._min.cursor) + 1;
    const keepFrom = Math.min(head, owed, firstKept ? Number(firstKept.revision) : head);
    const { count } = await tx.change.deleteMany({ where: { revision: { lt: BigInt(keepFrom) } } });
    return count;
  });
}

export interface StoredChange extends Change {
  at: Date;
}

/**
 * Changes after a revision, in order. `realm` keeps only that realm's; `served` keeps every
 * revision but reads the payload of the served realms' changes only (the others come with no ops,
 * so a sidecar moves past them without reading them), except the fleet-wide kinds (tokens, realm
 * deletion), which every sidecar reads. One statement, so one snapshot: a
 * compaction running meanwhile cannot take away part of what it returns.
 */
export async function readChanges(
  db: Pick<Tx, 'change' | '$queryRaw'>,
  options: { after: number; realm?: string; served?: ReadonlySet<string>; limit: number },
): Promise<StoredChange[]> {
  if (options.served === undefined) {
    const where = { revision: { gt: BigInt(options.after) }, ...(options.realm ? { realm: options.realm } : {}) };
    const rows = await db.change.findMany({ where, orderBy: { revision: 'asc' }, take: options.limit });
    return rows.map((r) => ({ revision: Number(r.revision), realm: r.realm, ops: (r.payload as unknown as { ops: Op[] }).ops, at: r.createdAt }));
  }
  const served = [...options.served];
  const rows = await db.$queryRaw<{ revision: bigint; realm: string; created_at: Date; payload: { ops: Op[] } | null }[]>`
    SELECT revision, realm, created_at,
           CASE WHEN realm = ANY(${served}::text[]) OR kind = ANY(${FLEET_WIDE_KINDS as string[]}::text[]) THEN payload END AS payload
    FROM change_log
    WHERE revision > ${BigInt(options.after)}
    ORDER BY revision
    LIMIT ${options.limit}`;
  return rows.map((r) => ({ revision: Number(r.revision), realm: r.realm, ops: r.payload?.ops ?? [], at: r.created_at }));
}
