import { Webhook } from 'standardwebhooks';
import { Client, request } from 'undici';
import { bareHost, isInternalAddress, InternalAddressError, publicOnlyLookup } from '../net/addressGuard';
import net from 'node:net';

export interface SendResult {
  /** the receiver's status, or null when there was no answer (timeout, refused, reset) */
  statusCode: number | null;
  /** Retry-After in ms, when the receiver sent one */
  retryAfterMs: number | null;
  error: string | null;
  /** no answer within the timeout (or cut short by shutdown) */
  timedOut: boolean;
}

/** Retry-After as delta-seconds or an HTTP date, in ms from now. */
export function parseRetryAfter(value: string | string[] | undefined, now: number): number | null {
  const text = Array.isArray(value) ? value[0] : value;
  if (!text) return null;
  if (/^\d+$/.test(text.trim())) return Number(text.trim()) * 1000;
  const at = Date.parse(text);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

/** requests sent on one connection before it is replaced by a new one */
const MAX_REQUESTS_PER_CONNECTION = 100;

/** a webhook's connection unused this long is closed and forgotten */
const IDLE_MS = 60_000;

interface Line {
  origin: string;
  client: Client;
  usedAt: number;
}

/**
 * Sends one event as the Standard Webhooks specification says: a POST of the JSON body with
 * webhook-id, webhook-timestamp and webhook-signature, signed by the standardwebhooks package with
 * every secret in force (space-separated).
 *
 * Each webhook has a keep-alive connection of its own, on which its requests may be pipelined
 * (HTTP/1.1, up to `pipeline` on their way): requests on one connection are written, and so
 * read by the receiver, in the order they were sent, so a webhook's events reach its endpoint in
 * queue order without waiting for each answer. A delivery carries its webhook-id on every attempt,
 * so it is idempotent for the receiver; when the connection drops, the requests behind the one that
 * failed are sent again, in order, on a new one.
 */
export class WebhookSender {
  private readonly lines = new Map<string, Line>();
  private sweptAt = Date.now();
  private readonly signers = new Map<string, Webhook>();
  /** aborted on shutdown: a receiver that is slow to answer must not hold the process */
  private readonly stopping = new AbortController();

  constructor(private readonly options: { timeoutMs: number; allowPrivate: boolean; pipeline: number }) {}

  /** requests one webhook may have on their way at once, on its connection */
  get pipeline(): number {
    return this.options.pipeline;
  }

  /** The connection of a webhook to its URL's origin, opened on first use. */
  private line(webhookId: string, url: URL): Client {
    const now = Date.now();
    if (now - this.sweptAt > IDLE_MS) {
      this.sweptAt = now;
      for (const [id, l] of this.lines) {
        if (now - l.usedAt > IDLE_MS) {
          this.lines.delete(id);
          void l.client.close().catch(() => undefined);
        }
      }
    }
    let line = this.lines.get(webhookId);
    if (line && line.origin !== url.origin) {
      // the URL was changed to another origin
      void line.client.close().catch(() => undefined);
      line = undefined;
    }
    if (!line) {
      line = {
        origin: url.origin,
        usedAt: now,
        client: new Client(url.origin, {
          pipelining: this.options.pipeline,
          keepAliveTimeout: 30_000,
          // many servers close a keep-alive connection after its 100th request (Apache's default,
          // nginx's before 1.19.10), dropping what was pipelined behind it: this one is closed
          // first, after its 100th, and the next requests go on a new connection
          maxRequestsPerClient: MAX_REQUESTS_PER_CONNECTION - 1,
          connect: this.options.allowPrivate ? {} : { lookup: publicOnlyLookup },
        }),
      };
      this.lines.set(webhookId, line);
    }
    line.usedAt = now;
    return line.client;
  }

  private signer(secret: string): Webhook {
    let signer = this.signers.get(secret);
    if (!signer) {
      if (this.signers.size > 10_000) this.signers.clear();
      signer = new Webhook(secret);
      this.signers.set(secret, signer);
    }
    return signer;
  }

  /** The webhook-signature header: one `v1,<base64>` per secret. */
  signature(secrets: readonly string[], msgId: string, timestamp: Date, payload: string): string {
    return secrets.map((s) => this.signer(s).sign(msgId, timestamp, payload)).join(' ');
  }

  /** Sends one delivery of a webhook: its answer, or why there was none. Never throws. */
  async send(webhookId: string, url: string, secrets: readonly string[], msgId: string, payload: string): Promise<SendResult> {
    const timestamp = new Date();
    try {
      const target = new URL(url);
      if (!this.options.allowPrivate) {
        const host = bareHost(target);
        // a literal address is never looked up, so it is checked here
        if (net.isIP(host) && isInternalAddress(host)) throw new InternalAddressError(host, host);
      }
      const res = await request(target, {
        method: 'POST',
        dispatcher: this.line(webhookId, target),
        // pipelined behind the webhook's earlier requests (see the class comment)
        idempotent: true,
        blocking: false,
        headers: {
          'content-type': 'application/json',
          'user-agent': 'realmgate-webhooks',
          'webhook-id': msgId,
          'webhook-timestamp': String(Math.floor(timestamp.getTime() / 1000)),
          'webhook-signature': this.signature(secrets, msgId, timestamp, payload),
        },
        body: payload,
        signal: AbortSignal.any([AbortSignal.timeout(this.options.timeoutMs), this.stopping.signal]),
      });
      await res.body.dump({ limit: 64 * 1024 }).catch(() => undefined);
      return { statusCode: res.statusCode, retryAfterMs: parseRetryAfter(res.headers['retry-after'], Date.now()), error: null, timedOut: false };
    } catch (err) {
      const e = err as Error;
      const timedOut = e.name === 'TimeoutError' || e.name === 'AbortError';
      const message = timedOut ? `no answer within ${this.options.timeoutMs} ms` : e.message;
      return { statusCode: null, retryAfterMs: null, error: message.slice(0, 500), timedOut };
    }
  }

  /** Ends the sends in flight at once (each answers an error); later ones fail at once too. */
  abort(): void {
    this.stopping.abort();
  }

  async close(): Promise<void> {
    const clients = [...this.lines.values()].map((l) => l.client);
    this.lines.clear();
    await Promise.all(clients.map((c) => c.close().catch(() => undefined)));
  }
}
