import { notFound } from '../errors';
import type { Database } from '../store/database';

export type DeliveryStatus = 'pending' | 'delivered' | 'failed';

export interface DeliveryView {
  id: string;
  webhookId: string;
  eventId: string;
  eventType: string;
  revision: number;
  status: DeliveryStatus;
  attempts: number;
  lastStatusCode: number | null;
  lastError: string | null;
  lastAttemptAt: string | null;
  nextAttemptAt: string | null;
  deliveredAt: string | null;
  createdAt: string;
  event: unknown;
}

type Row = {
  id: bigint;
  webhookId: string;
  eventId: string;
  eventType: string;
  revision: bigint;
  payload: string;
  status: string;
  attempts: number;
  lastStatusCode: number | null;
  lastError: string | null;
  lastAttemptAt: Date | null;
  nextAttemptAt: Date | null;
  deliveredAt: Date | null;
  createdAt: Date;
};

const iso = (d: Date | null): string | null => d?.toISOString() ?? null;

const view = (r: Row): DeliveryView => ({
  id: r.id.toString(),
  webhookId: r.webhookId,
  eventId: r.eventId,
  eventType: r.eventType,
  revision: Number(r.revision),
  status: r.status as DeliveryStatus,
  attempts: r.attempts,
  lastStatusCode: r.lastStatusCode,
  lastError: r.lastError,
  lastAttemptAt: iso(r.lastAttemptAt),
  nextAttemptAt: r.status === 'pending' ? iso(r.nextAttemptAt) : null,
  deliveredAt: iso(r.deliveredAt),
  createdAt: r.createdAt.toISOString(),
  event: JSON.parse(r.payload),
});

async function requireWebhook(db: Database, realm: string, id: string): Promise<void> {
  const hook = await db.prisma.webhook.findUnique({ where: { id }, select: { realm: true, finalRevision: true } });
  // a webhook of a deleted realm is no longer its (a realm re-created under the name included)
  if (!hook || hook.realm !== realm || hook.finalRevision !== null) throw notFound('webhook', id);
}

/** A webhook's deliveries, newest first, optionally of one status: failed ones stay here until retried. */
export async function listDeliveries(
  deps: { db: Database },
  realm: string,
  webhookId: string,
  filter: { status?: DeliveryStatus; limit: number },
): Promise<{ deliveries: DeliveryView[] }> {
  await requireWebhook(deps.db, realm, webhookId);
  const rows = await deps.db.prisma.webhookDelivery.findMany({
    where: { webhookId, ...(filter.status ? { status: filter.status } : {}) },
    orderBy: { id: 'desc' },
    take: filter.limit,
  });
  return { deliveries: rows.map(view) };
}

/** Queues a delivery again, due now, with the retry schedule started over. */
export async function retryDelivery(
  deps: { db: Database; wakeDeliveries?: () => void },
  realm: string,
  webhookId: string,
  deliveryId: string,
): Promise<DeliveryView> {
  await requireWebhook(deps.db, realm, webhookId);
  const id = BigInt(deliveryId);
  const found = await deps.db.prisma.webhookDelivery.findUnique({ where: { id } });
  if (!found || found.webhookId !== webhookId) throw notFound('delivery', deliveryId);
  const row = await deps.db.prisma.webhookDelivery.update({
    where: { id },
    data: { status: 'pending', attempts: 0, nextAttemptAt: new Date(), deliveredAt: null },
  });
  deps.wakeDeliveries?.();
  return view(row);
}
