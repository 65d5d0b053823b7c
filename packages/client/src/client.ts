import { SessionClock, type Consistency } from './consistency.js';
import { Context } from './context.js';
import { errorFromFailure, RealmgateError } from './errors.js';
import { Http, type FetchFunction } from './http.js';
import type { AllowedOptions, CallOptions } from './options.js';
import { RealmClient } from './realmClient.js';
import type { RetryOptions } from './retry.js';
import { Sessions, type SessionsOptions } from './sessions.js';
import type { CheckInput, ChangeEvent, Decision, EffectivePermissions, Readiness, Subjects } from './types.js';
import { watchChanges, type WatchOptions } from './watch.js';

export interface RealmgateOptions {
  /** where the sidecar listens; defaults to http://127.0.0.1:8181 */
  url?: string;
  /** a Unix domain socket instead of `url` (REALMGATE_SOCKET); Node only */
  socketPath?: string;
  /** the realm of every call that names none; otherwise the sidecar's REALMGATE_DEFAULT_REALM */
  realm?: string;
  /** a bearer token; needed for management and reads, optional for checks on loopback */
  token?: string;
  /** `session` by default */
  consistency?: Consistency;
  /** share one between clients to read one's writes through another (another sidecar, too) */
  clock?: SessionClock;
  /** per check, retries included; 1000 by default */
  checkTimeoutMs?: number;
  /** per call other than checks, retries included; 10000 by default */
  timeoutMs?: number;
  /** retries of retryable failures; `false` for none */
  retry?: RetryOptions | false;
  /** a fetch of your own (a proxy, a test double) */
  fetch?: FetchFunction;
  /** sent with every request */
  headers?: Record<string, string>;
  sessions?: SessionsOptions;
}

/** The batch route takes at most this many checks; checkMany splits longer lists. */
export const MAX_BATCH = 1000;

function checkBody(input: CheckInput, realm: string | undefined) {
  const body: { subject: string; permission: string; org?: string | null; realm?: string } = { subject: input.subject, permission: input.permission };
  if (input.org !== undefined) body.org = input.org;
  const r = input.realm ?? realm;
  if (r !== undefined) body.realm = r;
  return body;
}

/**
 * A client of one realmgate sidecar. Checks fail closed: one that cannot be answered throws a
 * RealmgateError, it never turns into an allow or a deny by itself.
 */
export class Realmgate {
  readonly clock: SessionClock;
  readonly sessions: Sessions;
  private readonly ctx: Context;
  private socket?: Promise<{ fetch: FetchFunction; close: () => Promise<void> }>;

  constructor(options: RealmgateOptions = {}) {
    if (options.url !== undefined && options.socketPath !== undefined) throw new TypeError('give `url` or `socketPath`, not both');
    const socketPath = options.socketPath;
    const headers: Record<string, string> = { ...options.headers };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    let fetchFunction = options.fetch ?? ((request: Request) => globalThis.fetch(request));
    if (socketPath !== undefined && options.fetch === undefined) {
      if (typeof process === 'undefined' || !process.versions?.node) throw new TypeError('`socketPath` needs Node; in a browser give `url`');
      fetchFunction = async (request) => {
        this.socket ??= import('./unixSocket.js').then((m) => m.unixSocketFetch(socketPath));
        return (await this.socket).fetch(request);
      };
    }
    const baseUrl = socketPath !== undefined ? 'http://localhost' : (options.url ?? 'http://127.0.0.1:8181');
    this.clock = options.clock ?? new SessionClock();
    this.ctx = new Context(new Http(baseUrl, fetchFunction, headers), this.clock, {
      realm: options.realm,
      consistency: options.consistency ?? 'session',
      checkTimeoutMs: options.checkTimeoutMs ?? 1000,
      timeoutMs: options.timeoutMs ?? 10_000,
      retry: options.retry ?? {},
    });
    this.sessions = new Sessions(this, options.sessions);
  }

  /** The highest revision this client's writes (and those of clients sharing its clock) returned. */
  get revision(): number {
    return this.clock.revision;
  }

  /** May `subject` do `permission` in `org` (or at realm level)? The full decision, with its reason. */
  async check(input: CheckInput, options?: CallOptions): Promise<Decision> {
    const atLeast = this.ctx.atLeast(options);
    const body = atLeast === undefined ? checkBody(input, this.ctx.defaults.realm) : { ...checkBody(input, this.ctx.defaults.realm), atLeast };
    const { data } = await this.ctx.http.call<Decision>(this.ctx.attempt('check', true, options), (signal) => this.ctx.http.api.POST('/v1/check', { body, signal }));
    return data;
  }

  /** The decision as a boolean. A check that cannot be answered throws, unless `onError: 'deny'`. */
  async allowed(input: CheckInput, options: AllowedOptions = {}): Promise<boolean> {
    try {
      return (await this.check(input, options)).allowed;
    } catch (err) {
      if (options.onError === 'deny' && err instanceof RealmgateError) return false;
      throw err;
    }
  }

  /** Many checks, answered in the order given; sent in batches of up to 1000. */
  async checkMany(inputs: readonly CheckInput[], options?: CallOptions): Promise<Decision[]> {
    if (inputs.length === 0) return [];
    const atLeast = this.ctx.atLeast(options);
    const realm = this.ctx.defaults.realm;
    const batches: CheckInput[][] = [];
    for (let i = 0; i < inputs.length; i += MAX_BATCH) batches.push(inputs.slice(i, i + MAX_BATCH));
    const answers = await Promise.all(
      batches.map((batch) => {
        const body = { checks: batch.map((c) => checkBody(c, realm)), ...(atLeast === undefined ? {} : { atLeast }) };
        return this.ctx.http.call<{ results: Decision[] }>(this.ctx.attempt('check', true, options), (signal) => this.ctx.http.api.POST('/v1/check/batch', { body, signal }));
      }),
    );
    return answers.flatMap((a) => a.data.results);
  }

  /** What `subject` may do in `org` (or at realm level), directly and through roles. */
  async permissions(subject: string, where: { org?: string; realm?: string } = {}, options?: CallOptions): Promise<EffectivePermissions> {
    const realm = this.ctx.realm(where.realm);
    const { data } = await this.ctx.http.call<EffectivePermissions>(this.ctx.attempt('call', true, options), (signal) =>
      this.ctx.http.api.GET('/v1/realms/{realm}/users/{user}/permissions', {
        params: { path: { realm, user: subject }, query: where.org === undefined ? {} : { org: where.org } },
        signal,
      }),
    );
    return data;
  }

  /** The users of `org` for whom a check of `permission` would be allowed now. */
  async subjects(org: string, permission: string, where: { realm?: string } = {}, options?: CallOptions): Promise<Subjects> {
    const realm = this.ctx.realm(where.realm);
    const { data } = await this.ctx.http.call<Subjects>(this.ctx.attempt('call', true, options), (signal) =>
      this.ctx.http.api.GET('/v1/realms/{realm}/orgs/{org}/subjects', { params: { path: { realm, org }, query: { permission } }, signal }),
    );
    return data;
  }

  /** Management of one realm (the client's when none is named). */
  realm(name?: string): RealmClient {
    return new RealmClient(this.ctx, this.ctx.realm(name));
  }

  /** The realm's changes from `after` on, as they happen; resumes by itself after failures. */
  watch(options: WatchOptions & { realm?: string } = {}): AsyncIterableIterator<ChangeEvent> {
    return watchChanges(this.ctx, this.ctx.realm(options.realm), options);
  }

  /** The sidecar's readiness, 200 or 503 alike; throws only when there is no answer. */
  async ready(options: { timeoutMs?: number } = {}): Promise<Readiness> {
    try {
      const { data, error } = await this.ctx.http.api.GET('/readyz', { signal: AbortSignal.timeout(options.timeoutMs ?? this.ctx.defaults.timeoutMs) });
      return (data ?? error) as Readiness;
    } catch (err) {
      throw errorFromFailure(err, (err as Error)?.name === 'TimeoutError', false);
    }
  }

  /** Closes kept-alive connections of the Unix socket transport (HTTP ones close when idle). */
  async close(): Promise<void> {
    const socket = this.socket;
    this.socket = undefined;
    if (socket) await (await socket).close();
  }
}
