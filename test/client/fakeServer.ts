import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Recorded {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: any;
}

/** How the fake answers one request: status, JSON body, headers; 'hang' / 'reset'; or by hand (a stream). */
export type Script = { status?: number; body?: unknown; headers?: Record<string, string> } | 'hang' | 'reset' | { handle: (res: http.ServerResponse, req: Recorded) => void };

/**
 * A stand-in for realmgate over real HTTP: it records every request and answers from a queue of
 * scripted answers (then from `fallback`), so transport, retries and timeouts run for real.
 */
export class FakeServer {
  readonly requests: Recorded[] = [];
  private readonly queue: Script[] = [];
  fallback: (req: Recorded) => Script = () => ({ status: 200, body: { allowed: true, reason: 'granted', revision: 1 } });
  private readonly server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (c) => (raw += c));
    req.on('end', () => {
      const recorded: Recorded = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: raw ? JSON.parse(raw) : undefined };
      this.requests.push(recorded);
      const script = this.queue.shift() ?? this.fallback(recorded);
      if (script === 'hang') return;
      if (script === 'reset') return void req.socket.destroy();
      if ('handle' in script) return script.handle(res, recorded);
      res.writeHead(script.status ?? 200, { 'content-type': 'application/json', ...script.headers });
      res.end(script.body === undefined ? '' : JSON.stringify(script.body));
    });
  });

  url = '';

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  answer(...scripts: Script[]): this {
    this.queue.push(...scripts);
    return this;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

export const notReady = (headers: Record<string, string> = {}): Script => ({ status: 503, body: { error: { code: 'not_ready', message: 'loading' } }, headers });
