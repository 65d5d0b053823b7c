import http from 'node:http';

export interface Answer {
  status: number;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- JSON from the sidecar
}

/** A keep-alive agent: one per caller, so that no request waits on a connection to be set up. */
export function agent(maxSockets: number): http.Agent {
  return new http.Agent({ keepAlive: true, maxSockets });
}

/**
 * One JSON request to a sidecar on 127.0.0.1; rejects on a network error or after timeoutMs. A
 * request that fails with ECONNRESET on a reused keep-alive connection (the server closed it while
 * idle, just as it was picked again) is sent once more on a new one: every request the benchmark
 * makes can be repeated (checks, and membership PUTs, which replace the record).
 */
export function call(
  via: http.Agent,
  port: number,
  method: string,
  path: string,
  body?: unknown,
  token?: string,
  timeoutMs = 10_000,
): Promise<Answer> {
  return once(via, port, method, path, body, token, timeoutMs).catch((err: unknown) => {
    if (err instanceof ReusedSocketError) return once(via, port, method, path, body, token, timeoutMs);
    throw err;
  });
}

class ReusedSocketError extends Error {}

function once(via: http.Agent, port: number, method: string, path: string, body: unknown, token: string | undefined, timeoutMs: number): Promise<Answer> {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  const headers: http.OutgoingHttpHeaders = {};
  if (payload !== undefined) {
    headers['Content-Type'] = 'application/json';
    headers['Content-Length'] = Buffer.byteLength(payload);
  }
  if (token) headers.Authorization = `Bearer ${token}`;
  return new Promise((resolve, reject) => {
    let answered = false;
    const req = http.request({ host: '127.0.0.1', port, method, path, headers, agent: via }, (res) => {
      answered = true;
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let parsed: unknown = text;
        try {
          parsed = text ? JSON.parse(text) : undefined;
        } catch {
          // not JSON (e.g. /metrics): keep the text
        }
        resolve({ status: res.statusCode ?? 0, body: parsed });
      });
      res.on('error', reject);
    });
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`${method} ${path} on :${port} timed out after ${timeoutMs} ms`)));
    req.on('error', (err: NodeJS.ErrnoException) => {
      const stale = !answered && req.reusedSocket && (err.code === 'ECONNRESET' || err.code === 'EPIPE');
      reject(stale ? new ReusedSocketError(err.message) : err);
    });
    req.end(payload);
  });
}

export const sleep = (msec: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, msec));
