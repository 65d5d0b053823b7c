import { Agent, fetch as undiciFetch } from 'undici';

export interface UnixSocketTransport {
  /** openapi-fetch's form: a Request */
  fetch: (request: Request) => Promise<Response>;
  /** fetch's own form, for checks and streams */
  direct: (url: string, init: RequestInit) => Promise<Response>;
  close: () => Promise<void>;
}

/**
 * A fetch that reaches realmgate over a Unix domain socket (REALMGATE_SOCKET), keeping connections
 * alive. Node only: this module is loaded on first use, and never in a browser build.
 */
export function unixSocketFetch(socketPath: string): UnixSocketTransport {
  const agent = new Agent({ connect: { socketPath }, keepAliveTimeout: 30_000, keepAliveMaxTimeout: 600_000 });
  const direct = async (url: string, init: RequestInit): Promise<Response> =>
    (await undiciFetch(url, { ...(init as Parameters<typeof undiciFetch>[1]), dispatcher: agent })) as unknown as Response;
  return {
    direct,
    async fetch(request: Request): Promise<Response> {
      const body = request.method === 'GET' || request.method === 'HEAD' ? undefined : await request.text();
      return direct(request.url, { method: request.method, headers: Object.fromEntries(request.headers), body, signal: request.signal });
    },
    close: () => agent.close(),
  };
}
