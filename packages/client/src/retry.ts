export interface RetryOptions {
  /** attempts after the first; 0 disables retries */
  retries?: number;
  /** the first delay, doubled on each attempt */
  baseDelayMs?: number;
  /** no delay is longer than this (Retry-After included) */
  maxDelayMs?: number;
}

export const DEFAULT_RETRY: Required<RetryOptions> = Object.freeze({ retries: 3, baseDelayMs: 50, maxDelayMs: 2000 });

/**
 * The wait before attempt `attempt` (1 for the first retry): exponential, with "equal jitter" (half
 * fixed, half random) so that many clients failing together do not come back together. A
 * Retry-After from the server is honoured as a floor, within maxDelayMs.
 */
export function backoffDelay(attempt: number, options: Required<RetryOptions>, retryAfterSeconds?: number, random = Math.random): number {
  const exponential = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** (attempt - 1));
  const jittered = exponential / 2 + random() * (exponential / 2);
  const floor = retryAfterSeconds === undefined ? 0 : retryAfterSeconds * 1000;
  return Math.min(options.maxDelayMs, Math.max(jittered, floor));
}

/** Resolves after `ms`, or rejects as soon as `signal` aborts. */
export function delay(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
