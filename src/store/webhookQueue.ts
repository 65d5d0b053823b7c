import { eventsOf, typeMatches } from '../engine/events';
import { headRevision, readChanges } from './changeLog';
import type { Database } from './database';

/**
 * The delivery queue: an outbox fed from the change log. Each webhook keeps a cursor (the last
 * revision turned into deliveries); feeding reads the realm's changes after it, queues a delivery
 * per matching event and moves the cursor, in one transaction, with the webhook row locked
 * (SKIP LOCKED: one sidecar feeds a webhook at a time, the others pass over it). Deliveries are
 * sent under a lease on their webhook, so one sidecar at a time sends a webhook's deliveries, in
 * queue order; a sidecar that dies holding a lease loses it when it runs out.
 */

const FEED_PAGE = 500;

/** Queues the events committed since each enabled webhook's cursor. Returns how many were queued. */
export async function feedDeliveries(db: Database): Promise<number> {
  return db.prisma.$transaction(
    async (tx) => {
      const head = await headRevision(tx);
      const hooks = await tx.$queryRaw<{ id: string; realm: string; events: string[]; cursor: bigint; final_revision: bigint | null }[]>`
        SELECT id, realm, events, cursor, final_revision FROM webhook
        WHERE enabled AND cursor < LEAST(${BigInt(head)}, COALESCE(final_revision, ${BigInt(head)}))
        ORDER BY id
        FOR UPDATE SKIP LOCKED`;
      let queued = 0;
      for (const hook of hooks) {
        // every revision up to head is committed (revisions are taken under the write lock); a
        // webhook of a deleted realm stops at its deletion, before a realm re-created under the name
        const end = hook.final_revision === null ? head : Math.min(head, Number(hook.final_revision));
        const changes = (await readChanges(tx, { after: Number(hook.cursor), realm: hook.realm, limit: FEED_PAGE })).filter((c) => c.revision <= end);
        const rows = changes.flatMap(eventsOf).filter((e) => typeMatches(hook.events, e.type));
        if (rows.length > 0) {
          // one statement for the lot, in event order (the queue order is the id order); an event
          // queued already is passed over
          queued += await tx.$executeRaw`
            INSERT INTO webhook_delivery (webhook_id, event_id, event_type, revision, payload, next_attempt_at)
            SELECT ${hook.id}, e.id, e.type, e.revision, e.payload, now()
            FROM unnest(
              ${rows.map((e) => e.id)}::text[],
              ${rows.map((e) => e.type)}::text[],
              ${rows.map((e) => e.revision)}::bigint[],
              ${rows.map((e) => JSON.stringify(e))}::text[]
            ) WITH ORDINALITY AS e(id, type, revision, payload, n)
            ORDER BY e.n
            ON CONFLICT (webhook_id, event_id) DO NOTHING`;
        }
        const cursor = changes.length === FEED_PAGE ? changes[changes.length - 1].revision : end;
        await tx.webhook.update({ where: { id: hook.id }, data: { cursor: BigInt(cursor) } });
      }
      // webhooks of deleted realms go once they have sent (or given up on) everything up to the deletion
      await tx.$executeRaw`
        DELETE FROM webhook w
        WHERE w.final_revision IS NOT NULL
          AND (NOT w.enabled
            OR (w.cursor >= w.final_revision
              AND NOT EXISTS (SELECT 1 FROM webhook_delivery d WHERE d.webhook_id = w.id AND d.status = 'pending')))`;
      return queued;
    },
    { timeout: 60_000, maxWait: 30_000 },
  );
}

export interface ClaimedDelivery {
  id: bigint;
  eventId: string;
  payload: string;
  attempts: number;
}

export interface ClaimedWebhook {
  id: string;
  url: string;
  secret: string;
  previousSecret: string | null;
  previousSecretUntil: Date | null;
  leaseUntil: Date;
  deliveries: ClaimedDelivery[];
}

/**
 * Takes the lease of one enabled webhook with deliveries due and no live lease, and returns its due
 * deliveries in queue order; undefined when there is none.
 */
export async function claimWebhook(db: Database, owner: string, leaseMs: number, limit: number): Promise<ClaimedWebhook | undefined> {
  return db.prisma.$transaction(async (tx) => {
    const [hook] = await tx.$queryRaw<{ id: string }[]>`
      SELECT w.id FROM webhook w
      WHERE w.enabled AND (w.lease_until IS NULL OR w.lease_until < now())
        AND EXISTS (SELECT 1 FROM webhook_delivery d WHERE d.webhook_id = w.id AND d.status = 'pending' AND d.next_attempt_at <= now())
      ORDER BY w.lease_until NULLS FIRST, w.id
      LIMIT 1
      FOR UPDATE OF w SKIP LOCKED`;
    if (!hook) return undefined;
    const leaseUntil = new Date(Date.now() + leaseMs);
    const claimed = await tx.webhook.update({ where: { id: hook.id }, data: { leaseUntil, leaseOwner: owner } });
    const deliveries = await tx.$queryRaw<{ id: bigint; event_id: string; payload: string; attempts: number }[]>`
      SELECT id, event_id, payload, attempts FROM webhook_delivery
      WHERE webhook_id = ${hook.id} AND status = 'pending' AND next_attempt_at <= now()
      ORDER BY id
      LIMIT ${limit}`;
    return {
      id: claimed.id,
      url: claimed.url,
      secret: claimed.secret,
      previousSecret: claimed.previousSecret,
      previousSecretUntil: claimed.previousSecretUntil,
      leaseUntil,
      deliveries: deliveries.map((d) => ({ id: d.id, eventId: d.event_id, payload: d.payload, attempts: d.attempts })),
    };
  });
}

export interface AttemptOutcome {
  id: bigint;
  status: 'pending' | 'delivered' | 'failed';
  attemptedAt: number;
  /** when to try again (status pending) */
  nextAttemptAt: number | null;
  statusCode: number | null;
  error: string | null;
}

/**
 * Records the attempts made under a lease, releases it, and disables the webhook when the
 * receiver said 410 Gone. Only the lease's owner may record: a sidecar whose lease ran out and
 * was taken over records nothing (the new owner sends again: at least once).
 */
export async function recordAttempts(db: Database, owner: string, webhookId: string, outcomes: AttemptOutcome[], disable: boolean): Promise<void> {
  await db.prisma.$transaction(async (tx) => {
    const held = await tx.webhook.updateMany({
      where: { id: webhookId, leaseOwner: owner },
      data: { leaseUntil: null, leaseOwner: null, ...(disable ? { enabled: false, updatedAt: new Date() } : {}) },
    });
    if (held.count === 0 || outcomes.length === 0) return;
    await tx.$executeRaw`
      UPDATE webhook_delivery d SET
        status = u.status,
        attempts = d.attempts + 1,
        last_attempt_at = to_timestamp(u.at / 1000.0),
        next_attempt_at = CASE WHEN u.next < 0 THEN NULL ELSE to_timestamp(u.next / 1000.0) END,
        last_status_code = CASE WHEN u.code < 0 THEN NULL ELSE u.code END,
        last_error = NULLIF(u.error, ''),
        delivered_at = CASE WHEN u.status = 'delivered' THEN to_timestamp(u.at / 1000.0) ELSE d.delivered_at END
      FROM unnest(
        ${outcomes.map((o) => o.id.toString())}::bigint[],
        ${outcomes.map((o) => o.status)}::text[],
        ${outcomes.map((o) => o.attemptedAt)}::float8[],
        ${outcomes.map((o) => o.nextAttemptAt ?? -1)}::float8[],
        ${outcomes.map((o) => o.statusCode ?? -1)}::int[],
        ${outcomes.map((o) => o.error ?? '')}::text[]
      ) AS u(id, status, at, next, code, error)
      WHERE d.id = u.id AND d.status = 'pending'`;
  });
}

/** When the next pending delivery of an enabled webhook falls due (epoch ms), or null. */
export async function nextDueAt(db: Database): Promise<number | null> {
  const [row] = await db.prisma.$queryRaw<{ due: Date | null }[]>`
    SELECT min(GREATEST(d.next_attempt_at, COALESCE(w.lease_until, d.next_attempt_at))) AS due
    FROM webhook_delivery d JOIN webhook w ON w.id = d.webhook_id
    WHERE d.status = 'pending' AND w.enabled`;
  return row?.due ? row.due.getTime() : null;
}
