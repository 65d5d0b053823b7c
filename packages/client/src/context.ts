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
  /** the attempt options of a call that overrides none, built once (the check path uses them on every call) */
  private readonly plain: Record<'check' | 'call', AttemptOptions>;

  constructor(
    readonly http: Http,
    readonly clock: SessionClock,
    readonly defaults: Defaults,
  ) {
    const retry = defaults.retry === false ? NO_RETRY : Object.freeze({ ...DEFAULT_RETRY, ...defaults.retry });
    this.plain = {
      check: Object.freeze({ timeoutMs: defaults.checkTimeoutMs, idempotent: true, retry }),
      call: Object.freeze({ timeoutMs: defaults.timeoutMs, idempotent: true, retry }),
    };
  }

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
    if (idempotent && options?.timeoutMs === undefined && options?.signal === undefined && options?.retry === undefined) return this.plain[kind];
    const retry = options?.retry ?? this.defaults.retry;
    return {
      timeoutMs: options?.timeoutMs ?? (kind === 'check' ? this.defaults.checkTimeoutMs : this.defaults.timeoutMs),
      signal: options?.signal,
      idempotent,
      retry: retry === false ? NO_RETRY : { ...DEFAULT_RETRY, ...retry },
    };
  }
}
