import crypto from 'node:crypto';
import { notFound } from '../errors';
import { headRevision } from '../store/changeLog';
import type { Database } from '../store/database';
import { newWebhookSecret, sealSecret } from '../store/secretBox';
import { requireRealm } from './guards';
import { parseEventFilter, parseWebhookUrl } from './webhookInput';

export interface WebhookView {
  id: string;
  realm: string;
  url: string;
  events: string[];
  description: string | null;
  enabled: boolean;
  createdAt: string;
  updatedAt: string;
}

interface WebhookDeps {
  db: Database;
  config: { webhookAllowPrivate: boolean; webhookKey?: string };
  /** told when there may be deliveries to send */
  wakeDeliveries?: () => void;
}

type Row = { id: string; realm: string; url: string; events: string[]; description: string | null; enabled: boolean; createdAt: Date; updatedAt: Date };

/** A webhook belongs to a realm until that realm is deleted: then no route sees it, even if the realm is created again. */
const inRealm = (row: { realm: string; finalRevision: bigint | null } | null, realm: string): boolean =>
  row !== null && row.realm === realm && row.finalRevision === null;

const view = (r: Row): WebhookView => ({
  id: r.id,
  realm: r.realm,
  url: r.url,
  events: r.events,
  description: r.description,
  enabled: r.enabled,
  createdAt: r.createdAt.toISOString(),
  updatedAt: r.updatedAt.toISOString(),
});

const ROTATION_GRACE_MS = 24 * 3600 * 1000;

export interface WebhookInput {
  url: string;
  events?: string[];
  description?: string;
}

/** Subscribes a URL to a realm's events from now on; the secret is in this answer and no other. */
export async function createWebhook(deps: WebhookDeps, realm: string, input: WebhookInput): Promise<WebhookView & { secret: string }> {
  const events = parseEventFilter(input.events);
  const url = await parseWebhookUrl(input.url, deps.config.webhookAllowPrivate);
  const secret = newWebhookSecret();
  const row = await deps.db.prisma.$transaction(async (tx) => {
    await requireRealm(tx, realm);
    return tx.webhook.create({
      data: {
        id: `wh_${crypto.randomBytes(12).toString('base64url')}`,
        realm,
        url,
        events,
        description: input.description ?? null,
        secret: sealSecret(secret, deps.config.webhookKey),
        cursor: BigInt(await headRevision(tx)),
      },
    });
  });
  return { ...view(row), secret };
}

export async function listWebhooks(deps: WebhookDeps, realm: string): Promise<{ webhooks: WebhookView[] }> {
  await requireRealm(deps.db.prisma, realm);
  const rows = await deps.db.prisma.webhook.findMany({ where: { realm, finalRevision: null }, orderBy: { createdAt: 'asc' } });
  return { webhooks: rows.map(view) };
}

async function findWebhook(deps: WebhookDeps, realm: string, id: string): Promise<Row> {
  const row = await deps.db.prisma.webhook.findUnique({ where: { id } });
  if (!row || !inRealm(row, realm)) throw notFound('webhook', id);
  return row;
}

export async function getWebhook(deps: WebhookDeps, realm: string, id: string): Promise<WebhookView> {
  return view(await findWebhook(deps, realm, id));
}

export interface WebhookPatch {
  url?: string;
  events?: string[];
  enabled?: boolean;
  description?: string | null;
}

/** Changes a webhook. Enabling a disabled one starts it at the current revision: what happened meanwhile is not sent. */
export async function updateWebhook(deps: WebhookDeps, realm: string, id: string, patch: WebhookPatch): Promise<WebhookView> {
  const events = patch.events === undefined ? undefined : parseEventFilter(patch.events);
  const url = patch.url === undefined ? undefined : await parseWebhookUrl(patch.url, deps.config.webhookAllowPrivate);
  const row = await deps.db.prisma.$transaction(async (tx) => {
    const found = await tx.webhook.findUnique({ where: { id } });
    if (!found || !inRealm(found, realm)) throw notFound('webhook', id);
    const enabling = patch.enabled === true && !found.enabled;
    return tx.webhook.update({
      where: { id },
      data: {
        ...(url !== undefined ? { url } : {}),
        ...(events !== undefined ? { events } : {}),
        ...(patch.description !== undefined ? { description: patch.description } : {}),
        ...(patch.enabled !== undefined ? { enabled: patch.enabled } : {}),
        ...(enabling ? { cursor: BigInt(await headRevision(tx)) } : {}),
        updatedAt: new Date(),
      },
    });
  });
  if (row.enabled) deps.wakeDeliveries?.();
  return view(row);
}

/** Removes a webhook and its deliveries. */
export async function deleteWebhook(deps: WebhookDeps, realm: string, id: string): Promise<{ id: string; deleted: true }> {
  await findWebhook(deps, realm, id);
  await deps.db.prisma.webhook.deleteMany({ where: { id, realm, finalRevision: null } });
  return { id, deleted: true };
}

/** A new secret signs from now on; the old one also signs for 24 hours, so receivers can switch over. */
export async function rotateWebhookSecret(
  deps: WebhookDeps,
  realm: string,
  id: string,
): Promise<{ id: string; secret: string; previousSecretExpiresAt: string }> {
  const secret = newWebhookSecret();
  const until = new Date(Date.now() + ROTATION_GRACE_MS);
  await deps.db.prisma.$transaction(async (tx) => {
    const found = await tx.webhook.findUnique({ where: { id } });
    if (!found || !inRealm(found, realm)) throw notFound('webhook', id);
    await tx.webhook.update({
      where: { id },
      data: { secret: sealSecret(secret, deps.config.webhookKey), previousSecret: found.secret, previousSecretUntil: until, updatedAt: new Date() },
    });
  });
  return { id, secret, previousSecretExpiresAt: until.toISOString() };
}
