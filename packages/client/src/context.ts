import { atLeastFor, type Consistency, type SessionClock } from './consistency.js';
import type { AttemptOptions, Http } from './http.js';
import type { CallOptions } from './options.js';
import { DEFAULT_RETRY, type RetryOptions } from './retry.js';

export interface Defaults {
  realm?: string;
  consistency: Consistency;
  checkTimeoutMs: number;
  timeoutMs: number;
  retry: RetryOptions | false;
}

const NO_RETRY: Required<RetryOptions> = Object.freeze({ ...DEFAULT_RETRY, retries: 0 });

/** What the parts of a client share: the transport, the session clock and the defaults. */
export class Context {
  constructor(
    readonly http: Http,
    readonly clock: SessionClock,
    readonly defaults: Defaults,
  ) {}

  /** The realm a call is about: its own, else the client's; throws when there is none. */
  realm(given?: string): string {
    const realm = given ?? this.defaults.realm;
    if (!realm) throw new TypeError('no realm: pass one, or set `realm` on the client');
    return realm;
  }

  atLeast(options?: CallOptions): number | undefined {
    return atLeastFor(options?.consistency ?? this.defaults.consistency, this.clock);
  }

  attempt(kind: 'check' | 'call', idempotent: boolean, options?: CallOptions): AttemptOptions {
    const retry = options?.retry ?? this.defaults.retry;
    return {
      timeoutMs: options?.timeoutMs ?? (kind === 'check' ? this.defaults.checkTimeoutMs : this.defaults.timeoutMs),
      signal: options?.signal,
      idempotent,
      retry: retry === false ? NO_RETRY : { ...DEFAULT_RETRY, ...retry },
    };
  }
}
