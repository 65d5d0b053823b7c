import { isDeepStrictEqual } from 'node:util';
import { decide, type CheckQuery, type Decision } from '../../src/engine/decide';
import type { PolicyState } from '../../src/engine/policyState';
import type { RealmRecords } from '../../src/engine/realmRecords';
import { AppError } from '../../src/errors';
import { applyMembershipBatch } from '../../src/services/applyMembershipBatch';
import { deleteMembership } from '../../src/services/deleteMembership';
import type { ServiceDeps } from '../../src/services/deps';
import { expireMemberships, nextExpiry } from '../../src/services/expireMemberships';
import type { MembershipInput } from '../../src/services/membershipInput';
import { deleteOrg, putOrg } from '../../src/services/orgs';
import { putMembership } from '../../src/services/putMembership';
import { deleteRealm, putRealm } from '../../src/services/realms';
import { deleteRole, putRole } from '../../src/services/roles';
import { syncMemberships } from '../../src/services/syncMemberships';
import { deleteUser, putUser } from '../../src/services/users';
import { loadState } from '../../src/store/loadState';
import { randomTag } from '../support/generatePolicy';
import { startHarness, type Harness } from '../support/harness';
import { Random } from '../support/random';
import { describeState, storedAndDerivedRules } from '../support/stateDigest';

/**
 * Random write sequences through the service layer: after every few writes (and after every refused
 * one) the state kept in memory, change by change, must equal the state loaded whole from the
 * database, the stored rules must equal those derived from the stored records, and both states must
 * decide every generated check alike.
 */
const SEEDS = [3, 17, 29, 58, 101, 4242];
const OPS_PER_SEED = 200;
const COMPARE_EVERY = 6;
const QUERIES_PER_INSTANT = 100;
const HOUR = 3_600_000;

// '_' is any one character in a LIKE pattern: realms whose names differ only there must stay apart
const REALMS = ['acme', 'acme_eu', 'acme-eu'];
const ORGS = ['eng', 'ops', 'sales.emea', 'Eng'];
const USERS = ['alice', 'bob@example.com', 'svc:deploy', 'Carol'];
const ROLES = ['admin', 'viewer', 'billing'];
const UNKNOWN_REALM = 'nowhere';
const UNKNOWN_ROLE = 'ghost';
const INVALID_TAGS = ['bad tag', 'x'.repeat(63), '', 'caf\u00e9', 'a/b', 'a,b'];

/** Every kind of write and outcome that the seeds together must reach at least once. */
const REQUIRED_LABELS = [
  'realm.put',
  'realm.recreate',
  'realm.delete',
  'org.put',
  'org.delete',
  'user.put.active',
  'user.put.disabled',
  'user.put.keep',
  'user.delete',
  'role.put',
  'role.put.wildcard',
  'role.put.uppercase',
  'role.delete',
  'membership.put',
  'membership.delete',
  'membership.org',
  'membership.realmLevel',
  'membership.roles',
  'membership.direct',
  'membership.expiring',
  'batch',
  'sync.realm',
  'sync.org',
  'clock.advance',
  'expire',
  'expire.removed',
  'refused:400',
  'refused:404',
  'refused:409',
  'refused:422',
];
const REQUIRED_REASONS = [
  'granted',
  'no_grant',
  'unknown_realm',
  'unknown_user',
  'user_disabled',
  'unknown_org',
  'no_membership',
  'expired',
];

interface Step {
  text: string;
  labels: string[];
  /** invalid on purpose: the service must refuse it */
  mustRefuse: boolean;
  /** performs the write; answers labels that only its result can tell */
  run(): Promise<string[]>;
}

/** What a step is being built from: labels it earns on success, and whether it is invalid on purpose. */
class Draft {
  readonly labels: string[] = [];
  mustRefuse = false;
  label(...labels: string[]): void {
    this.labels.push(...labels);
  }
  refuse(): void {
    this.mustRefuse = true;
  }
  /** Takes over what a part of the step (kept in it) was built with. */
  include(part: Draft): void {
    this.label(...part.labels);
    if (part.mustRefuse) this.refuse();
  }
  step(kind: string, args: unknown, run: () => Promise<string[] | void>): Step {
    return {
      text: `${kind} ${JSON.stringify(args)}${this.mustRefuse ? ' (invalid)' : ''}`,
      labels: [kind, ...this.labels],
      mustRefuse: this.mustRefuse,
      run: async () => (await run()) ?? [],
    };
  }
}

const tally = (counts: Map<string, number>, key: string): void => {
  counts.set(key, (counts.get(key) ?? 0) + 1);
};
const iso = (ms: number): string => new Date(ms).toISOString();
const membershipKey = (m: { user: string; org?: string | null }): string => `${m.user}\u0000${m.org ?? ''}`;
const hasDuplicateKeys = (items: { user: string; org?: string | null }[]): boolean =>
  new Set(items.map(membershipKey)).size !== items.length;

function weighted<T>(rnd: Random, options: readonly (readonly [number, T])[]): T {
  const total = options.reduce((sum, [w]) => sum + w, 0);
  let r = rnd.next() * total;
  for (const [w, value] of options) {
    r -= w;
    if (r < 0) return value;
  }
  return options[options.length - 1][1];
}

/**
 * Generates the next write from a seeded stream. It aims most writes at names that exist (as the
 * state in memory has them), so that they take effect; a few are invalid on purpose.
 */
class WriteGenerator {
  private readonly deletedRealms = new Set<string>();

  constructor(
    private readonly rnd: Random,
    private readonly h: Harness,
  ) {}

  private get deps(): ServiceDeps {
    return this.h.runtime.deps;
  }

  next(): Step {
    const missingRealms = REALMS.length - this.existingRealms().length;
    const make = weighted<() => Step>(this.rnd, [
      [missingRealms > 1 ? 20 : missingRealms === 1 ? 5 : 1, () => this.putRealm()],
      [3, () => this.deleteRealm()],
      [6, () => this.putOrg()],
      [4, () => this.deleteOrg()],
      [10, () => this.putUser()],
      [4, () => this.deleteUser()],
      [9, () => this.putRole()],
      [5, () => this.deleteRole()],
      [20, () => this.putMembership()],
      [6, () => this.deleteMembership()],
      [8, () => this.batch()],
      [4, () => this.syncRealm()],
      [5, () => this.syncOrg()],
      [3, () => this.advanceClock()],
      [5, () => this.expire()],
    ]);
    return make();
  }

  /** Mostly one of the given names, sometimes any of the pool (which may not exist). */
  private aim<T>(existing: readonly T[], pool: readonly T[]): T {
    return existing.length > 0 && this.rnd.chance(0.8) ? this.rnd.pick(existing) : this.rnd.pick(pool);
  }

  private existingRealms(): string[] {
    return [...this.deps.state.realms.keys()];
  }

  private records(realm: string): RealmRecords | undefined {
    return this.deps.state.realm(realm);
  }

  private realm(d: Draft): string {
    if (this.rnd.chance(0.03)) {
      d.refuse();
      return UNKNOWN_REALM;
    }
    return this.aim(this.existingRealms(), REALMS);
  }

  private tags(d: Draft, max: number): string[] {
    const tags = Array.from({ length: this.rnd.int(max + 1) }, () => randomTag(this.rnd, true));
    if (this.rnd.chance(0.03)) {
      d.refuse();
      tags.splice(this.rnd.int(tags.length + 1), 0, this.rnd.pick(INVALID_TAGS));
    }
    return tags;
  }

  private orgOrRealmLevel(realm: string): string | null | undefined {
    const r = this.rnd.next();
    if (r < 0.15) return undefined;
    if (r < 0.3) return null;
    return this.aim([...(this.records(realm)?.orgs ?? [])], ORGS);
  }

  private expiresAt(d: Draft): string | null | undefined {
    const now = this.h.clock.now();
    const r = this.rnd.next();
    if (r < 0.25) {
      d.label('membership.expiring');
      return iso(now + HOUR + this.rnd.int(10 * HOUR));
    }
    if (r < 0.27) {
      d.refuse();
      return iso(now - this.rnd.int(HOUR));
    }
    return this.rnd.chance(0.5) ? null : undefined;
  }

  private roles(d: Draft, realm: string): string[] {
    const existing = [...(this.records(realm)?.roles.keys() ?? [])];
    const source = this.rnd.chance(0.93) ? existing : ROLES;
    const roles = source.length > 0 ? this.rnd.some(source, 2) : [];
    if (this.rnd.chance(0.03)) {
      d.refuse();
      roles.push(UNKNOWN_ROLE);
    } else if (roles.length > 0 && this.rnd.chance(0.1)) {
      roles.push(roles[0]);
    }
    return roles;
  }

  private membership(d: Draft, realm: string, org: string | null | undefined): MembershipInput {
    const roles = this.roles(d, realm);
    const permissions = this.tags(d, 3);
    d.label(org == null ? 'membership.realmLevel' : 'membership.org');
    if (roles.length > 0) d.label('membership.roles');
    if (permissions.length > 0) d.label('membership.direct');
    const user = this.aim([...(this.records(realm)?.users.keys() ?? [])], USERS);
    return { user, org, roles, permissions, expiresAt: this.expiresAt(d) };
  }

  /** A list of memberships, mostly without two naming the same (user, org). */
  private memberships(d: Draft, realm: string, max: number, org: () => string | null | undefined): MembershipInput[] {
    const list = Array.from({ length: this.rnd.int(max + 1) }, () => {
      const part = new Draft();
      return { part, input: this.membership(part, realm, org()) };
    });
    const kept = this.rnd.chance(0.95) ? [...new Map(list.map((x) => [membershipKey(x.input), x])).values()] : list;
    for (const { part } of kept) d.include(part);
    const inputs = kept.map((x) => x.input);
    if (hasDuplicateKeys(inputs)) d.refuse();
    return inputs;
  }

  /** A membership to delete: mostly one that exists. */
  private membershipRef(realm: string): { user: string; org: string | null } {
    const existing = this.records(realm)?.allMemberships() ?? [];
    if (existing.length > 0 && this.rnd.chance(0.75)) {
      const m = this.rnd.pick(existing);
      return { user: m.user, org: m.org };
    }
    return { user: this.rnd.pick(USERS), org: this.rnd.chance(0.3) ? null : this.rnd.pick(ORGS) };
  }

  private putRealm(): Step {
    const d = new Draft();
    const missing = REALMS.filter((r) => !this.deps.state.realms.has(r));
    const realm = this.aim(missing, REALMS);
    return d.step('realm.put', { realm }, async () => {
      const { created } = await putRealm(this.deps, realm);
      return created && this.deletedRealms.has(realm) ? ['realm.recreate'] : [];
    });
  }

  private deleteRealm(): Step {
    const d = new Draft();
    const realm = this.realm(d);
    return d.step('realm.delete', { realm }, async () => {
      await deleteRealm(this.deps, realm);
      this.deletedRealms.add(realm);
    });
  }

  private putOrg(): Step {
    const d = new Draft();
    const realm = this.realm(d);
    const org = this.rnd.pick(ORGS);
    return d.step('org.put', { realm, org }, () => putOrg(this.deps, realm, org).then(() => undefined));
  }

  private deleteOrg(): Step {
    const d = new Draft();
    const realm = this.realm(d);
    const org = this.aim([...(this.records(realm)?.orgs ?? [])], ORGS);
    return d.step('org.delete', { realm, org }, () => deleteOrg(this.deps, realm, org).then(() => undefined));
  }

  private putUser(): Step {
    const d = new Draft();
    const realm = this.realm(d);
    const user = this.rnd.pick(USERS);
    const state = this.rnd.pick(['active', 'disabled', undefined] as const);
    d.label(`user.put.${state ?? 'keep'}`);
    return d.step('user.put', { realm, user, state }, () => putUser(this.deps, realm, user, state).then(() => undefined));
  }

  private deleteUser(): Step {
    const d = new Draft();
    const realm = this.realm(d);
    const user = this.aim([...(this.records(realm)?.users.keys() ?? [])], USERS);
    return d.step('user.delete', { realm, user }, () => deleteUser(this.deps, realm, user).then(() => undefined));
  }

  private putRole(): Step {
    const d = new Draft();
    const realm = this.realm(d);
    const role = this.rnd.pick(ROLES);
    const permissions = this.tags(d, 5);
    if (permissions.length > 0 && this.rnd.chance(0.2)) {
      const i = this.rnd.int(permissions.length);
      permissions[i] = permissions[i].toUpperCase();
    }
    if (permissions.some((t) => t.includes('*'))) d.label('role.put.wildcard');
    if (permissions.some((t) => t !== t.toLowerCase())) d.label('role.put.uppercase');
    return d.step('role.put', { realm, role, permissions }, () =>
      putRole(this.deps, realm, role, permissions).then(() => undefined),
    );
  }

  private deleteRole(): Step {
    const d = new Draft();
    const realm = this.realm(d);
    const existing = [...(this.records(realm)?.roles.keys() ?? [])];
    const held = new Set(this.records(realm)?.allMemberships().flatMap((m) => m.roles) ?? []);
    const unheld = existing.filter((r) => !held.has(r));
    const role = unheld.length > 0 && this.rnd.chance(0.7) ? this.rnd.pick(unheld) : this.aim(existing, ROLES);
    return d.step('role.delete', { realm, role }, () => deleteRole(this.deps, realm, role).then(() => undefined));
  }

  private putMembership(): Step {
    const d = new Draft();
    const realm = this.realm(d);
    const input = this.membership(d, realm, this.orgOrRealmLevel(realm));
    return d.step('membership.put', { realm, ...input }, () => putMembership(this.deps, realm, input).then(() => undefined));
  }

  private deleteMembership(): Step {
    const d = new Draft();
    const realm = this.realm(d);
    const { user, org } = this.membershipRef(realm);
    return d.step('membership.delete', { realm, user, org }, () =>
      deleteMembership(this.deps, realm, user, org).then(() => undefined),
    );
  }

  private batch(): Step {
    const d = new Draft();
    const realm = this.realm(d);
    const upsert = this.memberships(d, realm, 4, () => this.orgOrRealmLevel(realm));
    const deletes = Array.from({ length: this.rnd.int(3) }, () => this.membershipRef(realm));
    if (hasDuplicateKeys([...upsert, ...deletes])) d.refuse();
    const batch = { upsert, delete: deletes };
    return d.step('batch', { realm, ...batch }, () => applyMembershipBatch(this.deps, realm, batch).then(() => undefined));
  }

  private syncRealm(): Step {
    const d = new Draft();
    const realm = this.realm(d);
    const memberships = this.memberships(d, realm, 6, () => this.orgOrRealmLevel(realm));
    return d.step('sync.realm', { realm, memberships }, () =>
      syncMemberships(this.deps, realm, {}, memberships).then(() => undefined),
    );
  }

  private syncOrg(): Step {
    const d = new Draft();
    const realm = this.realm(d);
    const org = this.aim([...(this.records(realm)?.orgs ?? [])], ORGS);
    const memberOrg = (): string | null | undefined => {
      const r = this.rnd.next();
      if (r < 0.75) return undefined;
      if (r < 0.98) return org;
      d.refuse();
      return this.rnd.pick([null, ...ORGS.filter((o) => o !== org)]);
    };
    const memberships = this.memberships(d, realm, 4, memberOrg);
    if (hasDuplicateKeys(memberships.map((m) => ({ user: m.user, org })))) d.refuse();
    return d.step('sync.org', { realm, org, memberships }, () =>
      syncMemberships(this.deps, realm, { org }, memberships).then(() => undefined),
    );
  }

  private advanceClock(): Step {
    const d = new Draft();
    const ms = this.rnd.int(3 * HOUR);
    return d.step('clock.advance', { ms }, async () => this.h.clock.advance(ms));
  }

  /** Moves the clock to the next expiry (exactly, or a little past it) and runs the cleanup. */
  private expire(): Step {
    const d = new Draft();
    const past = this.rnd.pick([0, 0, 1, this.rnd.int(HOUR)]);
    return d.step('expire', { past }, async () => {
      const next = await nextExpiry(this.deps);
      if (next !== null) this.h.clock.advance(Math.max(0, next - this.h.clock.now()) + past);
      const { expired } = await expireMemberships(this.deps);
      return expired > 0 ? ['expire.removed'] : [];
    });
  }
}

/** Every tag granted anywhere in a state: directly or through a role. */
function grantsIn(state: PolicyState): string[] {
  const grants: string[] = [];
  for (const realm of state.realms.values()) {
    for (const tags of realm.roles.values()) grants.push(...tags);
    for (const m of realm.allMemberships()) grants.push(...m.permissions);
  }
  return grants;
}

/** A requested tag from a grant: each wildcard replaced by a word, or by a near miss. */
function concreteFrom(rnd: Random, grant: string): string {
  const tag = grant.replace(/\*/g, () =>
    rnd.chance(0.8) ? rnd.pick(['x', '12345', 'rw', 'r', 'orders']) : rnd.pick(['', '*', 'a:b', 'a.b', 'r;w']),
  );
  return tag === '' || tag.length > 62 ? 'orders:rw' : tag;
}

/** Checks aimed at the memberships both states hold, and at names known and unknown. */
class QueryGenerator {
  constructor(private readonly rnd: Random) {}

  generate(states: PolicyState[], count: number): CheckQuery[] {
    const aims = states.flatMap((s) =>
      [...s.realms.values()].flatMap((realm) =>
        realm.allMemberships().map((m) => ({
          m,
          grants: [...m.permissions, ...m.roles.flatMap((r) => realm.roles.get(r) ?? [])],
        })),
      ),
    );
    const grants = states.flatMap(grantsIn);
    return Array.from({ length: count }, (): CheckQuery => {
      const aim = aims.length > 0 && this.rnd.chance(0.6) ? this.rnd.pick(aims) : undefined;
      const who = aim
        ? { realm: aim.m.realm, subject: aim.m.user, org: aim.m.org }
        : { realm: this.realm(), subject: this.subject(), org: this.org() };
      const permission = this.permission(aim && aim.grants.length > 0 ? aim.grants : grants).toLowerCase();
      return { ...who, permission };
    });
  }

  private realm(): string {
    return this.rnd.chance(0.08) ? UNKNOWN_REALM : this.rnd.pick(REALMS);
  }

  private subject(): string {
    return this.rnd.chance(0.08) ? 'mallory' : this.rnd.pick(USERS);
  }

  private org(): string | null {
    const r = this.rnd.next();
    if (r < 0.3) return null;
    if (r < 0.37) return 'ghost-org';
    return this.rnd.pick(ORGS);
  }

  private permission(grants: string[]): string {
    const r = this.rnd.next();
    if (grants.length > 0 && r < 0.5) return concreteFrom(this.rnd, this.rnd.pick(grants));
    if (grants.length > 0 && r < 0.65) return this.rnd.pick(grants);
    return randomTag(this.rnd, r < 0.8);
  }
}

/** Items in one list and not in the other (as multisets), for a readable failure. */
function difference(left: string[], right: string[]): string[] {
  const rest = new Map<string, number>();
  for (const x of right) rest.set(x, (rest.get(x) ?? 0) + 1);
  const only: string[] = [];
  for (const x of left) {
    const n = rest.get(x) ?? 0;
    if (n > 0) rest.set(x, n - 1);
    else only.push(x);
  }
  return only;
}

function listDifference(what: string, leftName: string, left: string[], rightName: string, right: string[]): string[] {
  const onlyLeft = difference(left, right);
  const onlyRight = difference(right, left);
  if (onlyLeft.length === 0 && onlyRight.length === 0) return [];
  return [
    `${what} differ:`,
    ...onlyLeft.slice(0, 10).map((x) => `  only in ${leftName}: ${x}`),
    ...onlyRight.slice(0, 10).map((x) => `  only in ${rightName}: ${x}`),
  ];
}

interface Snapshot {
  revision: number;
  records: string[];
}

async function snapshot(state: PolicyState): Promise<Snapshot> {
  return { revision: state.revision, ...(await describeState(state)) };
}

function snapshotDifference(leftName: string, left: Snapshot, rightName: string, right: Snapshot): string[] {
  return [
    ...(left.revision === right.revision ? [] : [`revision: ${leftName} ${left.revision}, ${rightName} ${right.revision}`]),
    ...listDifference('records', leftName, left.records, rightName, right.records),
  ];
}

interface SeedReport {
  seed: number;
  ops: number;
  refused: number;
  comparisons: number;
  queries: number;
  /** how often each label was reached */
  labels: Map<string, number>;
  reasons: Map<string, number>;
  reloads: number;
}

/** Compares the incremental state with one rebuilt from the database, and their decisions. */
class Comparer {
  private readonly queries: QueryGenerator;

  constructor(
    private readonly h: Harness,
    private readonly rnd: Random,
    private readonly report: SeedReport,
  ) {
    this.queries = new QueryGenerator(rnd);
  }

  /** Now, the first expiry to come (the millisecond it takes effect), and a random later instant. */
  private instants(state: PolicyState): number[] {
    const now = this.h.clock.now();
    const expiries = [...state.realms.values()].flatMap((r) =>
      r.allMemberships().flatMap((m) => (m.expiresAt !== null && m.expiresAt > now ? [m.expiresAt] : [])),
    );
    const firstExpiry = expiries.length > 0 ? Math.min(...expiries) : now + HOUR;
    return [now, firstExpiry, now + this.rnd.int(12 * HOUR)];
  }

  async compare(): Promise<string[]> {
    const { state, db } = this.h.runtime.deps;
    const rebuilt = await loadState(db);
    const problems = snapshotDifference('incremental', await snapshot(state), 'rebuilt', await snapshot(rebuilt));
    const { stored, derived } = await storedAndDerivedRules(db.prisma);
    problems.push(...listDifference('casbin_rule', 'stored', stored, 'derived', derived));
    const now = this.h.clock.now();
    for (const at of this.instants(state)) {
      for (const q of this.queries.generate([state, rebuilt], QUERIES_PER_INSTANT)) {
        const incremental = decide(state, q, at);
        const fromDb = decide(rebuilt, q, at);
        this.count(incremental);
        if (!isDeepStrictEqual(incremental, fromDb) && problems.length < 20) {
          problems.push(`decision at now+${at - now}ms for ${JSON.stringify(q)}: incremental ${JSON.stringify(incremental)}, rebuilt ${JSON.stringify(fromDb)}`);
        }
      }
    }
    this.report.comparisons += 1;
    return problems;
  }

  private count(decision: Decision): void {
    tally(this.report.reasons, decision.reason);
    this.report.queries += 1;
  }
}

type Outcome = { refused: false; labels: string[] } | { refused: true; error: AppError };

async function attempt(step: Step): Promise<Outcome> {
  try {
    return { refused: false, labels: await step.run() };
  } catch (err) {
    if (err instanceof AppError && err.status >= 400 && err.status < 500) return { refused: true, error: err };
    throw err;
  }
}

/** Deletes every realm through the service, so that a seed starts from an empty policy. */
async function emptyPolicy(h: Harness): Promise<void> {
  const deps = h.runtime.deps;
  for (const { name } of await deps.db.prisma.realm.findMany()) await deleteRealm(deps, name);
  const left = await snapshot(await loadState(deps.db));
  expect([left.records, await deps.db.prisma.casbinRule.count()]).toEqual([[], 0]);
}

async function runSeed(h: Harness, seed: number): Promise<SeedReport> {
  const report: SeedReport = {
    seed,
    ops: 0,
    refused: 0,
    comparisons: 0,
    queries: 0,
    labels: new Map(),
    reasons: new Map(),
    reloads: 0,
  };
  await emptyPolicy(h);
  const stopCountingReloads = countReloads(h, () => {
    report.reloads += 1;
  });
  const writes = new WriteGenerator(new Random(seed), h);
  const comparer = new Comparer(h, new Random(seed * 7919 + 1), report);
  const trail: string[] = [];
  const fail = (problems: string[]): never => {
    throw new Error([`seed ${seed}, after ${trail.length} ops (last ones below):`, ...problems, '', ...trail.slice(-8)].join('\n'));
  };
  try {
    for (let i = 0; i < OPS_PER_SEED; i += 1) {
      const step = writes.next();
      trail.push(`#${i} ${step.text}`);
      const before = await snapshot(h.runtime.deps.state);
      const outcome = await attempt(step);
      report.ops += 1;
      if (outcome.refused) {
        report.refused += 1;
        tally(report.labels, `refused:${outcome.error.status}`);
        trail[trail.length - 1] += ` -> refused: ${outcome.error.status} ${outcome.error.code}`;
        const changed = snapshotDifference('before', before, 'after', await snapshot(h.runtime.deps.state));
        if (changed.length > 0) fail(['a refused write changed memory:', ...changed]);
      } else {
        if (step.mustRefuse) fail([`an invalid write was accepted: ${step.text}`]);
        for (const label of new Set([...step.labels, ...outcome.labels])) tally(report.labels, label);
      }
      if (outcome.refused || i % COMPARE_EVERY === COMPARE_EVERY - 1 || i === OPS_PER_SEED - 1) {
        const problems = await comparer.compare();
        if (problems.length > 0) fail(problems);
      }
    }
  } finally {
    stopCountingReloads();
  }
  return report;
}

/** Counts whole reloads of memory (which would hide a wrong incremental update); returns how to stop. */
function countReloads(h: Harness, onReload: () => void): () => void {
  let counting = true;
  h.runtime.applier.onReloaded(() => {
    if (counting) onReload();
  });
  return () => {
    counting = false;
  };
}

const sum = (reports: SeedReport[], f: (r: SeedReport) => number): number => reports.reduce((n, r) => n + f(r), 0);

function summary(reports: SeedReport[]): string {
  const line = (name: string, rs: SeedReport[]) =>
    `${name}: ${sum(rs, (r) => r.ops)} ops (${sum(rs, (r) => r.refused)} refused), ${sum(rs, (r) => r.comparisons)} comparisons, ${sum(rs, (r) => r.queries)} decisions compared`;
  return [...reports.map((r) => line(`seed ${r.seed}`, [r])), line('total', reports)].join('\n');
}

let harness: Harness;
const reports: SeedReport[] = [];

beforeAll(async () => {
  harness = await startHarness();
  harness.clock.freeze();
});

afterAll(async () => {
  if (reports.length > 0) console.log(summary(reports));
  await harness.close();
});

describe.each(SEEDS)('incremental state = state rebuilt from the database, seed %i', (seed) => {
  test(`${OPS_PER_SEED} random writes through the services`, async () => {
    const report = await runSeed(harness, seed);
    reports.push(report);
    expect(report.ops).toBe(OPS_PER_SEED);
    expect(report.reloads).toBe(0);
    expect(report.refused).toBeGreaterThan(0);
    expect(report.ops - report.refused).toBeGreaterThan(OPS_PER_SEED / 2);
    expect(report.reasons.get('granted') ?? 0).toBeGreaterThan(report.queries / 20);
  });
});

test('the writes reached every kind of write and outcome, and the checks every decision', () => {
  const reached = (key: 'labels' | 'reasons') => new Set(reports.flatMap((r) => [...r[key].keys()]));
  expect(reports.map((r) => r.seed)).toEqual(SEEDS);
  expect(REQUIRED_LABELS.filter((l) => !reached('labels').has(l))).toEqual([]);
  expect(REQUIRED_REASONS.filter((r) => !reached('reasons').has(r))).toEqual([]);
});
