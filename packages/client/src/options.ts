import type { Consistency } from './consistency.js';
import type { RetryOptions } from './retry.js';

/** Options every call takes; each overrides the client's own for that call only. */
export interface CallOptions {
  consistency?: Consistency;
  /** the whole call, retries included; checks default to 1 s, other calls to 10 s */
  timeoutMs?: number;
  signal?: AbortSignal;
  retry?: RetryOptions | false;
}

export type AllowedOptions = CallOptions & {
  /** what a check that cannot be answered does: throw (the default) or count as a deny */
  onError?: 'throw' | 'deny';
};
