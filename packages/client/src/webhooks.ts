import { call } from './calls.js';
import type { Context } from './context.js';
import type { CallOptions } from './options.js';
import type { paths } from './generated/openapi.js';
import type { Delivery, Webhook, WebhookCreated } from './types.js';

type Body<P extends keyof paths, M extends 'post' | 'patch'> = NonNullable<paths[P][M]> extends { requestBody: { content: { 'application/json': infer B } } } ? B : never;
export type WebhookRequest = Body<'/v1/realms/{realm}/webhooks', 'post'>;
export type WebhookChange = Body<'/v1/realms/{realm}/webhooks/{id}', 'patch'>;
export type DeliveryStatus = Delivery['status'];

/**
 * A realm's webhooks (needs the admin token or a realm token with `admin`): subscriptions of a URL
 * to the realm's events, delivered per the Standard Webhooks specification, and their deliveries.
 */
export class RealmWebhooks {
  constructor(
    private readonly ctx: Context,
    readonly realm: string,
  ) {}

  private at(id: string) {
    return { realm: this.realm, id };
  }

  /** Subscribes `url`; keep `secret` from the answer, it is not shown again. Never sent twice blindly. */
  create(request: WebhookRequest, options?: CallOptions): Promise<WebhookCreated> {
    return call(this.ctx, false, options, (signal) => this.ctx.http.api.POST('/v1/realms/{realm}/webhooks', { params: { path: { realm: this.realm } }, body: request, signal }));
  }

  /** The realm's webhooks, oldest first, without their secrets. */
  async list(options?: CallOptions): Promise<Webhook[]> {
    const { webhooks } = await call(this.ctx, true, options, (signal) => this.ctx.http.api.GET('/v1/realms/{realm}/webhooks', { params: { path: { realm: this.realm } }, signal }));
    return webhooks;
  }

  get(id: string, options?: CallOptions): Promise<Webhook> {
    return call(this.ctx, true, options, (signal) => this.ctx.http.api.GET('/v1/realms/{realm}/webhooks/{id}', { params: { path: this.at(id) }, signal }));
  }

  /** Changes its URL, events, description or state (`enabled: false` pauses it). */
  update(id: string, change: WebhookChange, options?: CallOptions): Promise<Webhook> {
    return call(this.ctx, true, options, (signal) => this.ctx.http.api.PATCH('/v1/realms/{realm}/webhooks/{id}', { params: { path: this.at(id) }, body: change, signal }));
  }

  /** Removes the webhook and its deliveries. */
  delete(id: string, options?: CallOptions): Promise<{ id: string; deleted: true }> {
    return call(this.ctx, true, options, (signal) => this.ctx.http.api.DELETE('/v1/realms/{realm}/webhooks/{id}', { params: { path: this.at(id) }, signal }));
  }

  /** A new signing secret (the old one stays valid for 24 hours). Never sent twice blindly. */
  rotateSecret(id: string, options?: CallOptions): Promise<{ id: string; secret: string; previousSecretExpiresAt: string }> {
    return call(this.ctx, false, options, (signal) => this.ctx.http.api.POST('/v1/realms/{realm}/webhooks/{id}/rotate-secret', { params: { path: this.at(id) }, signal }));
  }

  /** Its deliveries, newest first; `status` picks pending, failed or delivered ones. */
  async deliveries(id: string, filter: { status?: DeliveryStatus; limit?: number } = {}, options?: CallOptions): Promise<Delivery[]> {
    const { deliveries } = await call(this.ctx, true, options, (signal) =>
      this.ctx.http.api.GET('/v1/realms/{realm}/webhooks/{id}/deliveries', { params: { path: this.at(id), query: filter }, signal }),
    );
    return deliveries;
  }

  /** Queues a delivery again, due now (queuing it twice is harmless, so it is retried like a read). */
  retryDelivery(id: string, deliveryId: string, options?: CallOptions): Promise<Delivery> {
    return call(this.ctx, true, options, (signal) =>
      this.ctx.http.api.POST('/v1/realms/{realm}/webhooks/{id}/deliveries/{deliveryId}/retry', { params: { path: { ...this.at(id), deliveryId } }, signal }),
    );
  }
}
