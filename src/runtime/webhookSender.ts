import { Webhook } from 'standardwebhooks';
import { Agent, request } from 'undici';
import { bareHost, isInternalAddress, InternalAddressError, publicOnlyLookup } from '../net/addressGuard';
import net from 'node:net';

export interface SendResult {
  /** the receiver's status, or null when there was no answer (timeout, refused, reset) */
  statusCode: number | null;
  /** Retry-After in ms, when the receiver sent one */
  retryAfterMs: number | null;
  error: string | null;
}

/** Retry-After as delta-seconds or an HTTP date, in ms from now. */
export function parseRetryAfter(value: string | string[] | undefined, now: number): number | null {
  const text = Array.isArray(value) ? value[0] : value;
  if (!text) return null;
  if (/^\d+$/.test(text.trim())) return Number(text.trim()) * 1000;
  const at = Date.parse(text);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

/**
 * Sends one event as the Standard Webhooks specification says: a POST of the JSON body with
 * webhook-id, webhook-timestamp and webhook-signature, signed by the standardwebhooks package with
 * every secret in force (space-separated), through one keep-alive connection pool per sidecar.
 */
export class WebhookSender {
  private readonly agent: Agent;
  private readonly signers = new Map<string, Webhook>();
  /** aborted on shutdown: a receiver that is slow to answer must not hold the process */
  private readonly stopping = new AbortController();

  constructor(
    private readonly options: { timeoutMs: number; allowPrivate: boolean },
  ) {
    this.agent = new Agent({
      keepAliveTimeout: 30_000,
      connections: 64,
      connect: options.allowPrivate ? {} : { lookup: publicOnlyLookup },
    });
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

  async send(url: string, secrets: readonly string[], msgId: string, payload: string): Promise<SendResult> {
    const timestamp = new Date();
    try {
      if (!this.options.allowPrivate) {
        const host = bareHost(new URL(url));
        // a literal address is never looked up, so it is checked here
        if (net.isIP(host) && isInternalAddress(host)) throw new InternalAddressError(host, host);
      }
      const res = await request(url, {
        method: 'POST',
        dispatcher: this.agent,
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
      return { statusCode: res.statusCode, retryAfterMs: parseRetryAfter(res.headers['retry-after'], Date.now()), error: null };
    } catch (err) {
      const e = err as Error;
      const message = e.name === 'TimeoutError' || e.name === 'AbortError' ? `no answer within ${this.options.timeoutMs} ms` : e.message;
      return { statusCode: null, retryAfterMs: null, error: message.slice(0, 500) };
    }
  }

  /** Ends the sends in flight at once (each answers an error); later ones fail at once too. */
  abort(): void {
    this.stopping.abort();
  }

  close(): Promise<void> {
    return this.agent.close();
  }
}
