import type { Context } from './context.js';
import type { CallOptions } from './options.js';
import type { ChangePage } from './types.js';

/** What a typed openapi-fetch call answers. */
export type Send<T> = (signal: AbortSignal) => Promise<{ data?: T; error?: unknown; response: Response }>;

/** A call answered with its parsed body; retried on retryable failures only when `idempotent`. */
export async function call<T>(ctx: Context, idempotent: boolean, options: CallOptions | undefined, send: Send<T>): Promise<T> {
  return (await ctx.http.call<T>(ctx.attempt('call', idempotent, options), send)).data;
}

/** A write: its revision moves the session clock forward, so that later checks see it. */
export async function write<T extends { revision: number }>(ctx: Context, idempotent: boolean, options: CallOptions | undefined, send: Send<T>): Promise<T> {
  const data = await call(ctx, idempotent, options, send);
  ctx.clock.observe(data.revision);
  return data;
}

/**
 * A page of the change log. The route also answers a live stream (`Accept: text/event-stream`),
 * so the answer is asked for, and typed, as JSON.
 */
export function changesPage(ctx: Context, realm: string, query: { after?: number; limit?: number }): Send<ChangePage> {
  return (signal) =>
    ctx.http.api.GET('/v1/realms/{realm}/changes', { params: { path: { realm }, query }, headers: { accept: 'application/json' }, signal }) as Promise<{
      data?: ChangePage;
      error?: unknown;
      response: Response;
    }>;
}
