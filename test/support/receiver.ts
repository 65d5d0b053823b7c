import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';

/** One request a receiver got: its headers, its body, and what it answered. */
export interface Received {
  id: string;
  timestamp: string;
  signature: string;
  body: string;
  event: { id: string; type: string; realm: string; revision: number; occurredAt: string; data: Record<string, any>; previous?: Record<string, any> };
  at: number;
  status: number;
}

export type Responder = (req: Received, nth: number) => { status: number; headers?: Record<string, string>; hangMs?: number; delayMs?: number; drop?: boolean };

/**
 * A webhook receiver on a local port: records every request in order and answers what the test
 * tells it to (200 by default). Waiting is event-driven: waitFor resolves on the request that
 * satisfies it.
 */
export class Receiver {
  /** the requests answered, in the order they were answered (hung ones when they were read) */
  readonly received: Received[] = [];
  /** the webhook-id of every request read, in the order they were read */
  readonly arrivals: string[] = [];
  /** the most requests read and not yet answered at one time */
  maxOpen = 0;
  private open = 0;
  respond: Responder = () => ({ status: 200 });
  private readonly server: http.Server;
  private waiters: { until: (r: Received[]) => boolean; done: () => void }[] = [];

  private constructor() {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        const h = req.headers as Record<string, string>;
        this.arrivals.push(h['webhook-id']);
        this.open += 1;
        this.maxOpen = Math.max(this.maxOpen, this.open);
        res.on('close', () => (this.open -= 1));
        const got: Received = {
          id: h['webhook-id'],
          timestamp: h['webhook-timestamp'],
          signature: h['webhook-signature'],
          body,
          event: JSON.parse(body),
          at: Date.now(),
          status: 0,
        };
        const nth = this.received.filter((r) => r.id === got.id).length;
        const answer = this.respond(got, nth);
        got.status = answer.status;
        const reply = () => {
          if (res.destroyed) return;
          res.writeHead(answer.status, answer.headers ?? {});
          res.end();
          this.received.push(got);
          this.notify();
        };
        if (answer.drop) {
          // the connection is closed at once, with whatever else was on its way on it
          req.socket.destroy();
        } else if (answer.hangMs) {
          // a hung receiver: the request counts as received, the answer comes too late
          this.received.push(got);
          this.notify();
          setTimeout(() => {
            if (!res.destroyed) res.destroy();
          }, answer.hangMs);
        } else if (answer.delayMs) setTimeout(reply, answer.delayMs);
        else reply();
      });
    });
    this.server.keepAliveTimeout = 60_000;
  }

  static async start(): Promise<Receiver> {
    const r = new Receiver();
    await new Promise<void>((resolve) => r.server.listen(0, '127.0.0.1', resolve));
    return r;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hook`;
  }

  /** Verifies a request as a receiver would, with the standardwebhooks package; throws when it fails. */
  static verify(secret: string, r: Received): unknown {
    return new Webhook(secret).verify(r.body, { 'webhook-id': r.id, 'webhook-timestamp': r.timestamp, 'webhook-signature': r.signature });
  }

  private notify(): void {
    this.waiters = this.waiters.filter((w) => {
      if (!w.until(this.received)) return true;
      w.done();
      return false;
    });
  }

  /** Resolves once the received requests satisfy the predicate; rejects after timeoutMs. */
  waitFor(until: (r: Received[]) => boolean, timeoutMs = 30_000, what = 'the expected deliveries'): Promise<Received[]> {
    if (until(this.received)) return Promise.resolve(this.received);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        reject(new Error(`${what} did not arrive within ${timeoutMs} ms; received: ${this.received.map((r) => `${r.id}:${r.event.type}:${r.status}`).join(', ')}`));
      }, timeoutMs);
      const waiter = { until, done: () => (clearTimeout(timer), resolve(this.received)) };
      this.waiters.push(waiter);
    });
  }

  /** Every delivery of a type, in order of arrival. */
  ofType(type: string): Received[] {
    return this.received.filter((r) => r.event.type === type);
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
