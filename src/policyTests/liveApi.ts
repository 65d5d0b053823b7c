/** A non-2xx answer from a live sidecar. */
export class LiveApiError extends Error {
  constructor(
    readonly method: string,
    readonly path: string,
    readonly status: number,
    readonly body: unknown,
  ) {
    super(`${method} ${path} answered ${status}: ${typeof body === 'string' ? body : JSON.stringify(body)}`);
    this.name = 'LiveApiError';
  }
}

export interface LiveTarget {
  url: string;
  token?: string;
}

/** The few HTTP calls the policy-test runner makes to a live sidecar, over Node's fetch. */
export class LiveApi {
  private readonly base: string;

  constructor(private readonly target: LiveTarget) {
    this.base = target.url.replace(/\/+$/, '');
  }

  async call<T = unknown>(method: 'GET' | 'PUT' | 'POST' | 'DELETE', path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = {};
    if (this.target.token) headers.authorization = `Bearer ${this.target.token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    let res: Response;
    try {
      res = await fetch(`${this.base}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    } catch (err) {
      const cause = (err as { cause?: { code?: string; message?: string } }).cause;
      throw new Error(`cannot reach ${this.base}: ${cause?.code ?? cause?.message ?? String(err)}`);
    }
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON: keep the text for the error message
    }
    if (!res.ok) throw new LiveApiError(method, path, res.status, parsed);
    return parsed as T;
  }
}
