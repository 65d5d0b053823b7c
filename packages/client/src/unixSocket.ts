import { Agent, fetch as undiciFetch } from 'undici';

/**
 * A fetch that reaches realmgate over a Unix domain socket (REALMGATE_SOCKET), keeping connections
 * alive. Node only: this module is loaded on first use, and never in a browser build.
 */
export function unixSocketFetch(socketPath: string): { fetch: (request: Request) => Promise<Response>; close: () => Promise<void> } {
  const agent = new Agent({ connect: { socketPath }, keepAliveTimeout: 30_000, keepAliveMaxTimeout: 600_000 });
  return {
    async fetch(request: Request): Promise<Response> {
      const body = request.method === 'GET' || request.method === 'HEAD' ? undefined : await request.text();
      const response = await undiciFetch(request.url, {
        method: request.method,
        headers: Object.fromEntries(request.headers),
        body,
        signal: request.signal,
        dispatcher: agent,
      });
      return response as unknown as Response;
    },
    close: () => agent.close(),
  };
}
