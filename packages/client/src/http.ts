import createClient, { type Client } from 'openapi-fetch';
import { errorFromFailure, errorFromResponse, RealmgateError } from './errors.js';
import type { paths } from './generated/openapi.js';
import { backoffDelay, delay, DEFAULT_RETRY, type RetryOptions } from './retry.js';

export type ApiClient = Client<paths>;
export type FetchFunction = (request: Request) => Promise<Response>;

/** What openapi-fetch answers: the parsed body on 2xx, the parsed error otherwise. Its type is the caller's to state: a route may answer several media types. */
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

/**
 * The one place a request is sent: a deadline for the whole call, retries with backoff for what
 * may be retried, and every failure turned into a RealmgateError.
 */
export class Http {
  readonly api: ApiClient;

  constructor(baseUrl: string, fetchFunction: FetchFunction, headers: Record<string, string>) {
    this.api = createClient<paths>({ baseUrl, fetch: fetchFunction, headers });
  }

  async call<T>(options: AttemptOptions, send: (signal: AbortSignal) => Promise<Answer<unknown>>): Promise<{ data: T; response: Response }> {
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

  private async attempt<T>(remainingMs: number, callerSignal: AbortSignal | undefined, send: (signal: AbortSignal) => Promise<Answer<unknown>>): Promise<{ data: T; response: Response }> {
    if (callerSignal?.aborted) throw errorFromFailure(callerSignal.reason, false, true);
    if (remainingMs <= 0) throw errorFromFailure(undefined, true, false);
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, remainingMs);
    const onCallerAbort = () => controller.abort(callerSignal?.reason);
    callerSignal?.addEventListener('abort', onCallerAbort, { once: true });
    try {
      const answer = await send(controller.signal);
      if (answer.response.ok) return { data: answer.data as T, response: answer.response };
      throw errorFromResponse(answer.response, answer.error);
    } catch (e) {
      throw errorFromFailure(e, timedOut, callerSignal?.aborted === true);
    } finally {
      clearTimeout(timer);
      callerSignal?.removeEventListener('abort', onCallerAbort);
    }
  }
}
