import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Request } from 'express';

/**
 * The requests being answered on a set of servers, so that a shutdown can let them finish: once
 * draining, each response asks its client to close the connection, and every connection left idle
 * is closed at once.
 */
export class InFlight {
  private readonly active = new Map<IncomingMessage, ServerResponse>();
  private readonly servers: Server[] = [];
  private draining = false;
  private onIdle: (() => void) | undefined;

  track(server: Server): void {
    this.servers.push(server);
    // ahead of the app's own listener, so a response written synchronously is already tracked
    server.prependListener('request', (req, res) => {
      this.active.set(req, res);
      if (this.draining) res.setHeader('Connection', 'close');
      res.once('close', () => {
        this.active.delete(req);
        if (!this.draining) return;
        for (const s of this.servers) s.closeIdleConnections();
        if (this.active.size === 0) this.onIdle?.();
      });
    });
  }

  get size(): number {
    return this.active.size;
  }

  /** `METHOD /route/template` for each request in flight (the path when no route was matched yet). */
  describe(): string[] {
    return [...this.active.keys()].map((req) => {
      const route = (req as Request).route?.path as string | undefined;
      return `${req.method} ${route ?? (req.url ?? '').split('?')[0]}`;
    });
  }

  /**
   * Stops taking connections on every tracked server, closes idle keep-alive connections, and
   * resolves true once every request in flight has been answered, or false at the deadline.
   */
  drain(timeoutMs: number): Promise<boolean> {
    this.draining = true;
    for (const res of this.active.values()) if (!res.headersSent) res.setHeader('Connection', 'close');
    for (const s of this.servers) {
      s.close();
      s.closeIdleConnections();
    }
    if (this.active.size === 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), timeoutMs);
      this.onIdle = () => {
        clearTimeout(timer);
        resolve(true);
      };
    });
  }
}
