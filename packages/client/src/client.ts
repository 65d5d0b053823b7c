import { SessionClock, type Consistency } from './consistency.js';
import { Context } from './context.js';
import { errorFromFailure, RealmgateError } from './errors.js';
import { Http, type DirectFetch, type FetchFunction } from './http.js';
import type { AllowedOptions, CallOptions } from './options.js';
import { RealmClient } from './realmClient.js';
import type { RetryOptions } from './retry.js';
import { Sessions, type SessionsOptions } from './sessions.js';
import type { paths } from './generated/openapi.js';
import type { CheckInput, ChangeEvent, Decision, EffectivePermissions, Readiness, StateDigest, Subjects, Whoami } from './types.js';
import type { UnixSocketTransport } from './unixSocket.js';
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

type CheckBody = paths['/v1/check']['post']['requestBody']['content']['application/json'];
type BatchBody = paths['/v1/check/batch']['post']['requestBody']['content']['application/json'];
type BatchAnswer = paths['/v1/check/batch']['post']['responses'][200]['content']['application/json'];

function checkBody(input: CheckInput, realm: string | undefined, atLeast: number | undefined): CheckBody {
  const body: CheckBody = { subject: input.subject, permission: input.permission };
  if (input.org !== undefined) body.org = input.org;
  const r = input.realm ?? realm;
  if (r !== undefined) body.realm = r;
  if (atLeast !== undefined) body.atLeast = atLeast;
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
  private socket?: Promise<UnixSocketTransport>;

  constructor(options: RealmgateOptions = {}) {
    if (options.url !== undefined && options.socketPath !== undefined) throw new TypeError('give `url` or `socketPath`, not both');
    const socketPath = options.socketPath;
    const headers: Record<string, string> = { ...options.headers };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    let fetchFunction: FetchFunction;
    let direct: DirectFetch;
    if (options.fetch !== undefined) {
      const own = options.fetch;
      fetchFunction = own;
      direct = (url, init) => own(new Request(url, init));
    } else if (socketPath !== undefined) {
      if (typeof process === 'undefined' || !process.versions?.node) throw new TypeError('`socketPath` needs Node; in a browser give `url`');
      const transport = () => (this.socket ??= import('./unixSocket.js').then((m) => m.unixSocketFetch(socketPath)));
      fetchFunction = async (request) => (await transport()).fetch(request);
      direct = async (url, init) => (await transport()).direct(url, init);
    } else {
      fetchFunction = (request) => globalThis.fetch(request);
      direct = (url, init) => globalThis.fetch(url, init);
    }
    const baseUrl = socketPath !== undefined ? 'http://localhost' : (options.url ?? 'http://127.0.0.1:8181').replace(/\/+$/, '');
    this.clock = options.clock ?? new SessionClock();
    this.ctx = new Context(new Http(baseUrl, fetchFunction, headers, direct), this.clock, {
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
    const ctx = this.ctx;
    return ctx.http.postJson<Decision>(ctx.attempt('check', true, options), '/v1/check', checkBody(input, ctx.defaults.realm, ctx.atLeast(options)));
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
    const ctx = this.ctx;
    const atLeast = ctx.atLeast(options);
    const attempt = ctx.attempt('check', true, options);
    const batches: BatchBody[] = [];
    for (let i = 0; i < inputs.length; i += MAX_BATCH) {
      const checks = inputs.slice(i, i + MAX_BATCH).map((c) => checkBody(c, ctx.defaults.realm, undefined));
      batches.push(atLeast === undefined ? { checks } : { checks, atLeast });
    }
    const answers = await Promise.all(batches.map((body) => ctx.http.postJson<BatchAnswer>(attempt, '/v1/check/batch', body)));
    return answers.flatMap((a) => a.results);
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

  /** Who this client's token acts as: the admin token, or a realm token with its realm and scopes. */
  async whoami(options?: CallOptions): Promise<Whoami> {
    const { data } = await this.ctx.http.call<Whoami>(this.ctx.attempt('call', true, options), (signal) => this.ctx.http.api.GET('/v1/whoami', { signal }));
    return data;
  }

  /** The sidecar's state digest with the realms it serves (the admin token only). */
  async state(options?: CallOptions): Promise<StateDigest> {
    const { data } = await this.ctx.http.call<StateDigest>(this.ctx.attempt('call', true, options), (signal) => this.ctx.http.api.GET('/v1/state', { signal }));
    return data;
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
