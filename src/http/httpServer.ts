import http, { type RequestListener, type Server } from 'node:http';

export interface ServerTimeouts {
  readonly headersTimeoutMs: number;
  readonly requestTimeoutMs: number;
  readonly keepAliveTimeoutMs: number;
}

/**
 * An HTTP server with bounded time for headers, for the whole request (a body trickled a byte at a
 * time is answered 408 and closed) and for idle keep-alive connections. Node checks these on a
 * timer, every connectionsCheckingInterval; a second keeps the bound close to what is configured.
 */
export function createHttpServer(listener: RequestListener, timeouts: ServerTimeouts): Server {
  const server = http.createServer(
    {
      headersTimeout: timeouts.headersTimeoutMs,
      requestTimeout: timeouts.requestTimeoutMs,
      connectionsCheckingInterval: Math.min(1000, timeouts.headersTimeoutMs),
    },
    listener,
  );
  server.keepAliveTimeout = timeouts.keepAliveTimeoutMs;
  return server;
}

/** Listens on a TCP port or a Unix socket path; resolves once listening, rejects with the listen error. */
export function listen(server: Server, where: { port: number; host: string } | { path: string }): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    const done = () => {
      server.off('error', reject);
      resolve();
    };
    if ('path' in where) server.listen(where.path, done);
    else server.listen(where.port, where.host, done);
  });
}

/** The port a server listens on (for PORT=0, the one the system chose). */
export function boundPort(server: Server, fallback: number): number {
  const address = server.address();
  return typeof address === 'object' && address ? address.port : fallback;
}
