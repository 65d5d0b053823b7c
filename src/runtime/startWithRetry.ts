import type { Config } from '../config';
import type { Lifecycle } from '../http/lifecycle';
import { isConnectionLoss } from '../store/databaseErrors';
import { startRuntime, type Runtime, type RuntimeOptions } from './startRuntime';

export interface RetryOptions extends RuntimeOptions {
  /** first wait after a failed attempt; doubles up to maxDelayMs */
  firstDelayMs?: number;
  maxDelayMs?: number;
  /** told about each failed attempt, with the reason and the wait before the next one */
  onAttemptFailed?: (attempt: number, message: string, retryInMs: number) => void;
  sleep?: (ms: number) => Promise<void>;
}

/** The error's message without anything that looks like a connection URL (it may hold a password). */
export function safeMessage(err: unknown): string {
  const text = err instanceof Error ? err.message || err.name : String(err);
  const e = err as { code?: unknown; errors?: { message?: string }[] };
  const message = text || (Array.isArray(e.errors) ? e.errors.map((x) => x.message).join('; ') : '') || String(e.code ?? 'unknown error');
  return message.replace(/postgres(ql)?:\/\/\S+/gi, 'postgresql://…').split('\n')[0];
}

/**
 * Starts the runtime, and while the database cannot be reached, tries again with a doubling wait
 * (0.5 s up to 15 s by default) instead of exiting: meanwhile /healthz answers, and /readyz is 503
 * with reason `database_unreachable` and the last error. Any other failure is thrown at once.
 */
export async function startRuntimeWithRetry(config: Config, lifecycle: Lifecycle, options: RetryOptions = {}): Promise<Runtime> {
  const firstDelay = options.firstDelayMs ?? 500;
  const maxDelay = options.maxDelayMs ?? 15_000;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  let delay = firstDelay;
  for (let attempt = 1; ; attempt++) {
    try {
      const runtime = await startRuntime(config, options);
      lifecycle.waiting = undefined;
      return runtime;
    } catch (err) {
      if (!isConnectionLoss(err)) throw err;
      const message = safeMessage(err);
      lifecycle.waiting = { reason: 'database_unreachable', message, attempts: attempt };
      options.onAttemptFailed?.(attempt, message, delay);
      await sleep(delay);
      delay = Math.min(delay * 2, maxDelay);
    }
  }
}
