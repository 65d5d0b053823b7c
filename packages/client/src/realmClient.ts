import { call, changesPage, write, type Send } from './calls.js';
import type { Context } from './context.js';
import type { CallOptions } from './options.js';
import { RealmTokens } from './tokens.js';
import type { BatchWritten, ChangeEvent, ChangePage, DryRunResult, Membership, MembershipBody, MembershipItem, MembershipKey, Paged, RealmSummary, UserState } from './types.js';
import { RealmWebhooks } from './webhooks.js';
import { watchChanges, type WatchOptions } from './watch.js';

export interface Written {
  revision: number;
}
export interface Created extends Written {
  created: boolean;
}
export interface MembershipWritten extends Created {
  membership: Membership;
}
export interface DryRunOptions extends CallOptions {
  /** how many entries each of `granted` and `revoked` lists at most (1000 by default) */
  limit?: number;
}
export interface WriteOptions extends CallOptions {
  /** write only if the membership is at this revision (or exists, with `*`); else 412 */
  ifMatch?: number | '*';
}

/** Asks what a write would do (records and effective permissions), writing nothing. */
export interface DryRunOptions extends CallOptions {
  dryRun: true;
  /** how many entries each of `granted` and `revoked` lists at most; realmgate's default (1000) when left out */
  limit?: number;
}

type MaybeDryRun = CallOptions & { dryRun?: boolean; limit?: number };

function dryRunQuery(options: MaybeDryRun | undefined): { dryRun?: true; limit?: number } {
  if (!options?.dryRun) return {};
  return options.limit === undefined ? { dryRun: true } : { dryRun: true, limit: options.limit };
}

type MembershipInput = MembershipBody & { user: string; org?: string | null };

function ifMatchHeader(options?: WriteOptions): { 'If-Match'?: string } {
  if (options?.ifMatch === undefined) return {};
  return { 'If-Match': options.ifMatch === '*' ? '*' : `"${options.ifMatch}"` };
}

/**
 * Management of one realm. Every write's revision moves the session clock forward, so that later
 * checks (with `session` consistency) see it. PUTs and DELETEs are retried like reads; a batch or
 * a sync only when realmgate answered that it did nothing (`not_ready`, `write_unavailable`).
 */
export class RealmClient {
  /** the realm's tokens */
  readonly tokens: RealmTokens;
  /** the realm's webhooks and their deliveries */
  readonly webhooks: RealmWebhooks;

  constructor(
    private readonly ctx: Context,
    readonly name: string,
  ) {
    this.tokens = new RealmTokens(ctx, name);
    this.webhooks = new RealmWebhooks(ctx, name);
  }

  private write<T extends Written>(idempotent: boolean, options: CallOptions | undefined, send: Send<T>): Promise<T> {
    return write(this.ctx, idempotent, options, send);
  }

  private read<T>(options: CallOptions | undefined, send: Send<T>): Promise<T> {
    return call(this.ctx, true, options, send);
  }

  /** A write, or with `dryRun` what it would do: that writes nothing, so it is retried like a read and leaves the clock alone. */
  private writeOrDryRun<T extends Written>(idempotent: boolean, options: MaybeDryRun | undefined, send: Send<T | DryRunResult>): Promise<T | DryRunResult> {
    return options?.dryRun ? call(this.ctx, true, options, send) : (this.write(idempotent, options, send as Send<T>) as Promise<T>);
  }

  private get realm() {
    return { realm: this.name };
  }

  /** Creates the realm; a realm that exists answers `created: false`. */
  create(options?: CallOptions): Promise<Created> {
    return this.write(true, options, (signal) => this.ctx.http.api.PUT('/v1/realms/{realm}', { params: { path: this.realm }, signal }));
  }

  get(options?: CallOptions): Promise<RealmSummary> {
    return this.read(options, (signal) => this.ctx.http.api.GET('/v1/realms/{realm}', { params: { path: this.realm }, signal }));
  }

  /** Deletes the realm and everything in it. */
  delete(options?: CallOptions): Promise<Written> {
    return this.write(true, options, (signal) => this.ctx.http.api.DELETE('/v1/realms/{realm}', { params: { path: this.realm }, signal }));
  }

  putOrg(org: string, options?: CallOptions): Promise<Created> {
    return this.write(true, options, (signal) => this.ctx.http.api.PUT('/v1/realms/{realm}/orgs/{org}', { params: { path: { ...this.realm, org } }, signal }));
  }

  /** Deletes the org and every membership in it. */
  deleteOrg(org: string, options?: CallOptions): Promise<Written> {
    return this.write(true, options, (signal) => this.ctx.http.api.DELETE('/v1/realms/{realm}/orgs/{org}', { params: { path: { ...this.realm, org } }, signal }));
  }

  /** Creates a user, or sets its state: a disabled user is denied everything. */
  putUser(user: string, body: { state?: UserState } = {}, options?: CallOptions): Promise<Created & { user: string; state: UserState }> {
    return this.write(true, options, (signal) => this.ctx.http.api.PUT('/v1/realms/{realm}/users/{user}', { params: { path: { ...this.realm, user } }, body, signal }));
  }

  /** Deletes the user and all of its memberships in the realm. */
  deleteUser(user: string, options?: CallOptions): Promise<Written> {
    return this.write(true, options, (signal) => this.ctx.http.api.DELETE('/v1/realms/{realm}/users/{user}', { params: { path: { ...this.realm, user } }, signal }));
  }

  /** Defines or redefines a role for every org of the realm; with `dryRun`, what that would change. */
  putRole(role: string, permissions: string[], options: DryRunOptions): Promise<DryRunResult>;
  putRole(role: string, permissions: string[], options?: CallOptions): Promise<Created & { role: string; permissions: string[] }>;
  putRole(role: string, permissions: string[], options?: MaybeDryRun): Promise<(Created & { role: string; permissions: string[] }) | DryRunResult> {
    const query = dryRunQuery(options);
    return this.writeOrDryRun(true, options, (signal) =>
      this.ctx.http.api.PUT('/v1/realms/{realm}/roles/{role}', { params: { path: { ...this.realm, role }, query }, body: { permissions }, signal }),
    );
  }

  /** Deletes a role that no membership holds (409 otherwise); with `dryRun`, what that would change. */
  deleteRole(role: string, options: DryRunOptions): Promise<DryRunResult>;
  deleteRole(role: string, options?: CallOptions): Promise<Written>;
  deleteRole(role: string, options?: MaybeDryRun): Promise<Written | DryRunResult> {
    const query = dryRunQuery(options);
    return this.writeOrDryRun(true, options, (signal) => this.ctx.http.api.DELETE('/v1/realms/{realm}/roles/{role}', { params: { path: { ...this.realm, role }, query }, signal }));
  }

  /** Creates or replaces a membership: in `org`, or at realm level when `org` is left out or null. */
  putMembership(input: MembershipInput, options?: WriteOptions): Promise<MembershipWritten> {
    const { user, org, ...body } = input;
    const header = ifMatchHeader(options);
    return this.write(true, options, (signal) =>
      org === undefined || org === null
        ? this.ctx.http.api.PUT('/v1/realms/{realm}/users/{user}/membership', { params: { path: { ...this.realm, user }, header }, body, signal })
        : this.ctx.http.api.PUT('/v1/realms/{realm}/users/{user}/memberships/{org}', { params: { path: { ...this.realm, user, org }, header }, body, signal }),
    );
  }

  deleteMembership(key: MembershipKey, options?: WriteOptions): Promise<Written> {
    const { user, org } = key;
    const header = ifMatchHeader(options);
    return this.write(true, options, (signal) =>
      org === undefined || org === null
        ? this.ctx.http.api.DELETE('/v1/realms/{realm}/users/{user}/membership', { params: { path: { ...this.realm, user }, header }, signal })
        : this.ctx.http.api.DELETE('/v1/realms/{realm}/users/{user}/memberships/{org}', { params: { path: { ...this.realm, user, org }, header }, signal }),
    );
  }

  /** A user's state and stored memberships. */
  memberships(user: string, options?: CallOptions): Promise<{ user: string; state: UserState; memberships: Membership[] }> {
    return this.read(options, (signal) => this.ctx.http.api.GET('/v1/realms/{realm}/users/{user}/memberships', { params: { path: { ...this.realm, user } }, signal }));
  }

  /**
   * Upserts and deletes atomically, as one change; with `dryRun`, what that would change. Never
   * sent twice unless realmgate said it did nothing.
   */
  batch(changes: { upsert?: MembershipItem[]; delete?: MembershipKey[] }, options: DryRunOptions): Promise<DryRunResult>;
  batch(changes: { upsert?: MembershipItem[]; delete?: MembershipKey[] }, options?: CallOptions): Promise<BatchWritten>;
  batch(changes: { upsert?: MembershipItem[]; delete?: MembershipKey[] }, options?: MaybeDryRun): Promise<BatchWritten | DryRunResult> {
    const query = dryRunQuery(options);
    return this.writeOrDryRun(false, options, (signal) => this.ctx.http.api.POST('/v1/realms/{realm}/memberships/batch', { params: { path: this.realm, query }, body: changes, signal }));
  }

  /**
   * Reconciles the realm (or one org) to exactly these memberships, atomically; with `dryRun`,
   * what that would change. Never sent twice unless realmgate said it did nothing.
   */
  sync(memberships: MembershipItem[], where: { org?: string }, options: DryRunOptions): Promise<DryRunResult>;
  sync(memberships: MembershipItem[], where?: { org?: string }, options?: CallOptions): Promise<BatchWritten>;
  sync(memberships: MembershipItem[], where: { org?: string } = {}, options?: MaybeDryRun): Promise<BatchWritten | DryRunResult> {
    const query = { ...(where.org === undefined ? {} : { org: where.org }), ...dryRunQuery(options) };
    return this.writeOrDryRun(false, options, (signal) => this.ctx.http.api.PUT('/v1/realms/{realm}/memberships', { params: { path: this.realm, query }, body: { memberships }, signal }));
  }

  /** One page of the change log after `after`. */
  changes(page: { after?: number; limit?: number } = {}, options?: CallOptions): Promise<ChangePage> {
    return this.read(options, changesPage(this.ctx, this.name, page));
  }

  /** The realm's changes from `after` on, as they happen; resumes by itself after failures. */
  watch(options: WatchOptions = {}): AsyncIterableIterator<ChangeEvent> {
    return watchChanges(this.ctx, this.name, options);
  }

  /** One page of the realm's users with their states, by name. */
  users(page: Paged = {}, options?: CallOptions): Promise<{ users: { user: string; state: UserState }[]; next: string | null }> {
    return this.read(options, (signal) => this.ctx.http.api.GET('/v1/realms/{realm}/users', { params: { path: this.realm, query: page }, signal }));
  }

  /** One page of the realm's orgs, by name. */
  orgs(page: Paged = {}, options?: CallOptions): Promise<{ orgs: string[]; next: string | null }> {
    return this.read(options, (signal) => this.ctx.http.api.GET('/v1/realms/{realm}/orgs', { params: { path: this.realm, query: page }, signal }));
  }

  /** One page of the realm's memberships, by user then org (realm-level first). */
  allMemberships(page: Paged = {}, options?: CallOptions): Promise<{ memberships: Membership[]; next: string | null }> {
    return this.read(options, (signal) => this.ctx.http.api.GET('/v1/realms/{realm}/memberships', { params: { path: this.realm, query: page }, signal }));
  }
}
