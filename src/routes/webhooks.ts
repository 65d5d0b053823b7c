import { Router } from 'express';
import { ready, type Lifecycle } from '../http/lifecycle';
import { listDeliveries, retryDelivery, type DeliveryStatus } from '../services/webhookDeliveries';
import {
  createWebhook,
  deleteWebhook,
  getWebhook,
  listWebhooks,
  rotateWebhookSecret,
  updateWebhook,
  type WebhookInput,
  type WebhookPatch,
} from '../services/webhooks';

export function webhookRoutes(lifecycle: Lifecycle): Router {
  const router = Router();
  const base = '/v1/realms/:realm/webhooks';
  type Params = { realm: string; id: string; deliveryId: string };
  router.post(base, async (req, res) => {
    res.status(201).json(await createWebhook(ready(lifecycle), req.params.realm, req.body as WebhookInput));
  });
  router.get(base, async (req, res) => {
    res.json(await listWebhooks(ready(lifecycle), req.params.realm));
  });
  router.get(`${base}/:id`, async (req, res) => {
    const { realm, id } = req.params as Params;
    res.json(await getWebhook(ready(lifecycle), realm, id));
  });
  router.patch(`${base}/:id`, async (req, res) => {
    const { realm, id } = req.params as Params;
    res.json(await updateWebhook(ready(lifecycle), realm, id, req.body as WebhookPatch));
  });
  router.delete(`${base}/:id`, async (req, res) => {
    const { realm, id } = req.params as Params;
    res.json(await deleteWebhook(ready(lifecycle), realm, id));
  });
  router.post(`${base}/:id/rotate-secret`, async (req, res) => {
    const { realm, id } = req.params as Params;
    res.json(await rotateWebhookSecret(ready(lifecycle), realm, id));
  });
  router.get(`${base}/:id/deliveries`, async (req, res) => {
    const { realm, id } = req.params as Params;
    const status = req.query.status as DeliveryStatus | undefined;
    res.json(await listDeliveries(ready(lifecycle), realm, id, { status, limit: Number(req.query.limit ?? 100) }));
  });
  router.post(`${base}/:id/deliveries/:deliveryId/retry`, async (req, res) => {
    const { realm, id, deliveryId } = req.params as Params;
    res.status(202).json(await retryDelivery(ready(lifecycle), realm, id, deliveryId));
  });
  return router;
}
