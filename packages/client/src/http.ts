import createClient, { type Client } from 'openapi-fetch';
import { errorFromFailure, errorFromResponse, RealmgateError } from './errors.js';
import type { paths } from './generated/openapi.js';
import { backoffDelay, delay, DEFAULT_RETRY, type RetryOptions } from './retry.js';

export type ApiClient = Client<paths>;
/** A fetch of the caller's own: it is given a Request. */
export type FetchFunction = (request: Request) => Promise<Response>;
/** fetch's own `(url, init)` form: no Request object is built, which is most of a check's cost in the client. */
export type DirectFetch = (url: string, init: RequestInit) => Promise<Response>;

/** What openapi-fetch answers: the parsed body on 2xx, the parsed error otherwise. */
interface Answer<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

export interface AttemptOptions {
  /** the whole call, retries included, ends with a `timeout` error after this long */
  timeoutMs: number;
  /** the caller's own cancellation */
  signal?: AbortSignal;
  /**
   * Whether sending the request twice is harmless. Only such calls are retried on a network error,
   * a timeout or `stale`; the others only on a 503 that says nothing was done (`not_ready`,
   * `write_unavailable`).
   */
  idempotent: boolean;
  retry: Required<RetryOptions>;
}

/** Answers that prove the request was not acted on, whatever it was. */
const NOTHING_DONE = new Set(['not_ready', 'write_unavailable']);

function mayRetry(err: RealmgateError, idempotent: boolean): boolean {
  if (!err.retryable) return false;
  return idempotent || (err.status === 503 && NOTHING_DONE.has(err.code));
}

const anySignal: ((signals: AbortSignal[]) => AbortSignal) | undefined = (AbortSignal as { any?: (signals: AbortSignal[]) => AbortSignal }).any?.bind(AbortSignal);

/**
 * The signal of one attempt: it aborts with a `TimeoutError` at the deadline, or with the caller's
 * reason. AbortSignal.timeout needs no timer to clear nor controller to allocate, which the check
 * path measurably gains from; the caller's signal, when there is one, is joined to it.
 */
function attemptSignal(remainingMs: number, callerSignal: AbortSignal | undefined): AbortSignal {
  const deadline = AbortSignal.timeout(remainingMs);
  if (!callerSignal) return deadline;
  if (anySignal) return anySignal([callerSignal, deadline]);
  const controller = new AbortController();
  const forward = (from: AbortSignal) => () => controller.abort(from.reason);
  callerSignal.addEventListener('abort', forward(callerSignal), { once: true });
  deadline.addEventListener('abort', forward(deadline), { once: true });
  return controller.signal;
}

const timedOut = (signal: AbortSignal) => signal.aborted && (signal.reason as Error | undefined)?.name === 'TimeoutError';

/** The body of an answer read by hand: JSON when there is one, else the text (for error messages). */
async function readBody(response: Response): Promise<unknown> {
  if (response.ok && response.status !== 204) return response.json();
  const text = await response.text();
  try {
    return text ? JSON.parse(text) : undefined;
  } catch {
    return text;
  }
}

/**
 * The one place a request is sent: a deadline for the whole call, retries with backoff for what
 * may be retried, and every failure turned into a RealmgateError. Management calls go through
 * openapi-fetch (`api`), typed by path; checks take `json`, which calls fetch directly.
 */
export class Http {
  readonly api: ApiClient;
  /** the client's headers plus a JSON content type, built once and reused by every `json` call */
  private readonly jsonHeaders: Record<string, string>;

  constructor(
    readonly baseUrl: string,
    fetchFunction: FetchFunction,
    readonly headers: Readonly<Record<string, string>>,
    readonly direct: DirectFetch,
  ) {
    this.api = createClient<paths>({ baseUrl, fetch: fetchFunction, headers });
    this.jsonHeaders = { ...headers, 'content-type': 'application/json' };
  }

  /** POSTs `body` as JSON to `path` and answers the parsed JSON, with the deadline and retries of `call`. */
  async postJson<T>(options: AttemptOptions, path: string, body: unknown): Promise<T> {
    const init: RequestInit = { method: 'POST', headers: this.jsonHeaders, body: JSON.stringify(body) };
    const url = this.baseUrl + path;
    const { data } = await this.call<T>(options, async (signal) => {
      init.signal = signal;
      const response = await this.direct(url, init);
      const parsed = await readBody(response);
      return response.ok ? { data: parsed as T, response } : { error: parsed, response };
    });
    return data;
  }

  async call<T>(options: AttemptOptions, send: (signal: AbortSignal) => Promise<Answer<T>>): Promise<{ data: T; response: Response }> {
    const retry = options.retry ?? DEFAULT_RETRY;
    const deadline = Date.now() + options.timeoutMs;
    for (let attempt = 0; ; attempt += 1) {
      let err: RealmgateError;
      try {
        return await this.attempt(deadline - Date.now(), options.signal, send);
      } catch (e) {
        err = e as RealmgateError;
      }
      if (attempt >= retry.retries || !mayRetry(err, options.idempotent)) throw err;
      const wait = backoffDelay(attempt + 1, retry, err.retryAfterSeconds);
      if (Date.now() + wait >= deadline) throw err;
      try {
        await delay(wait, options.signal);
      } catch (abort) {
        throw errorFromFailure(abort, false, true);
      }
    }
  }

  private async attempt<T>(remainingMs: number, callerSignal: AbortSignal | undefined, send: (signal: AbortSignal) => Promise<Answer<T>>): Promise<{ data: T; response: Response }> {
    if (callerSignal?.aborted) throw errorFromFailure(callerSignal.reason, false, true);
    if (remainingMs <= 0) throw errorFromFailure(undefined, true, false);
    const signal = attemptSignal(remainingMs, callerSignal);
    try {
      const answer = await send(signal);
      if (answer.response.ok) return { data: answer.data as T, response: answer.response };
      throw errorFromResponse(answer.response, answer.error);
    } catch (e) {
      const byCaller = callerSignal?.aborted === true;
      throw errorFromFailure(e, !byCaller && timedOut(signal), byCaller);
    }
  }

  /**
   * Opens a GET whose answer the caller reads (a stream): the deadline covers only the wait for
   * its headers; afterwards only `signal` ends it. An error answer throws its RealmgateError.
   */
  async open(path: string, headers: Record<string, string>, timeoutMs: number, signal: AbortSignal): Promise<Response> {
    const controller = new AbortController();
    let expired = false;
    const timer = setTimeout(() => {
      expired = true;
      controller.abort();
    }, timeoutMs);
    const stop = () => controller.abort(signal.reason);
    if (signal.aborted) stop();
    else signal.addEventListener('abort', stop, { once: true });
    try {
      const response = await this.direct(this.baseUrl + path, { method: 'GET', headers: { ...this.headers, ...headers }, signal: controller.signal });
      if (!response.ok) throw errorFromResponse(response, await readBody(response));
      return response;
    } catch (e) {
      signal.removeEventListener('abort', stop);
      throw errorFromFailure(e, expired && !signal.aborted, signal.aborted);
    } finally {
      clearTimeout(timer);
    }
  }
}
