import type { MembershipInput } from '../src/services/membershipInput';
import { Random } from './random';

/**
 * A synthetic but realistic policy of a given size in grants. A grant is one tag a subject holds in
 * a domain, directly or through a role: a membership with 2 direct tags and one role of 8 tags is
 * 10 grants. Built from a seed, so the parent and every child process build the same one.
 */

export interface RoleSpec {
  name: string;
  permissions: string[];
}

export interface RealmSpec {
  name: string;
  roles: RoleSpec[];
  orgs: string[];
  users: string[];
  disabledUsers: string[];
  memberships: MembershipInput[];
}

export interface WorkloadShape {
  realms: number;
  orgs: number;
  users: number;
  disabledUsers: number;
  roles: number;
  roleTags: { min: number; max: number; wildcards: number; total: number };
  memberships: number;
  orgMemberships: number;
  realmMemberships: number;
  expiringMemberships: number;
  rolesPerMembership: number[];
  directPerMembership: number[];
  directGrants: number;
  roleGrants: number;
  wildcardGrants: number;
  /** rows of casbin_rule: p rules (direct tags, and each role's tags once per realm) and g rules (role links) */
  casbinP: number;
  casbinG: number;
}

export interface Workload {
  target: number;
  grants: number;
  realms: RealmSpec[];
  shape: WorkloadShape;
}

const REALM_NAMES = ['acme', 'globex', 'initech', 'umbrella', 'hooli', 'stark', 'wayne', 'tyrell'];

/** The role catalogue: 5 to 10 tags each, wildcards among them. A realm takes most of it. */
const ROLE_CATALOGUE: RoleSpec[] = [
  { name: 'viewer', permissions: ['orders:read', 'invoices:read', 'reports.read', 'app.*.read', 'catalog:read', 'widget:read'] },
  { name: 'editor', permissions: ['orders:rw', 'invoices:rw', 'catalog:*', 'app.*.read', 'app.*.write', 'reports.read', 'comments:*'] },
  { name: 'admin', permissions: ['orders:*', 'invoices:*', 'catalog:*', 'app.*.*', 'users:*', 'settings:*', 'billing.*', 'reports.*'] },
  { name: 'billing', permissions: ['billing.read', 'billing.write', 'invoices:*', 'payments:*', 'reports.finance.read'] },
  { name: 'support', permissions: ['tickets:*', 'users:read', 'orders:read', 'app.support.*', 'comments:rw', 'refunds:request'] },
  { name: 'developer', permissions: ['app.*.read', 'app.*.write', 'deploy:staging', 'logs:*', 'metrics:read', 'api_keys:*', 'builds:*'] },
  { name: 'auditor', permissions: ['audit.*', 'reports.*', 'logs:read', 'orders:read', 'invoices:read', 'users:read', 'settings:read', 'billing.read'] },
  { name: 'ops', permissions: ['deploy:*', 'logs:*', 'metrics:*', 'alerts:*', 'app.*.admin', 'incidents:*', 'runbooks:read', 'status:write', 'builds:*'] },
  { name: 'manager', permissions: ['reports.*', 'orders:*', 'team:*', 'approvals:*', 'invoices:read', 'app.*.read', 'users:invite', 'budgets:rw', 'hiring:read', 'okr.*.rw'] },
  { name: 'guest', permissions: ['catalog:read', 'docs:read', 'app.public.read', 'status:read', 'comments:read'] },
  { name: 'analyst', permissions: ['reports.*', 'metrics:read', 'exports:*', 'dashboards:*', 'app.analytics.*', 'data.*.read'] },
  { name: 'owner', permissions: ['orders:*', 'invoices:*', 'billing.*', 'settings:*', 'users:*', 'app.*.*', 'deploy:*', 'audit.*', 'team:*', 'api_keys:*'] },
];

/** How many roles (0-3) and direct tags (0-5) a membership has: cumulative weights. */
const ROLE_COUNT_WEIGHTS = [0.15, 0.6, 0.88, 1];
const DIRECT_COUNT_WEIGHTS = [0.25, 0.45, 0.65, 0.8, 0.9, 1];
const EXPIRING_SHARE = 0.005;
/** a few users per realm are disabled: 1%, at most 20 */
const DISABLED_SHARE = 0.01;
const MAX_DISABLED = 20;
const SECOND_ORG_SHARE = 0.35;
const REALM_LEVEL_SHARE = 0.2;
/** expected grants of one membership and memberships of one user, to size orgs */
const GRANTS_PER_MEMBERSHIP = 12;
const MEMBERSHIPS_PER_USER = 1.55;

function weighted(random: Random, cumulative: number[]): number {
  const x = random.next();
  return cumulative.findIndex((w) => x < w);
}

function directTag(random: Random): string {
  switch (random.int(0, 9)) {
    case 0:
    case 1:
      return `widget:${random.token(8)}-${random.token(4)}`;
    case 2:
      return `project:${random.int(1, 5000)}:read`;
    case 3:
      return `project:${random.int(1, 5000)}:write`;
    case 4:
      return `project:${random.int(1, 5000)}:*`;
    case 5:
      return random.pick(['doc:*', 'tickets:*', 'app_two.*', 'exports:*']);
    case 6:
      return `app_${random.int(1, 9)}.feature_${random.int(1, 40)}`;
    case 7:
      return random.pick(['power_users', 'beta_tester', 'early_access', 'orders:rw', 'reports.read']);
    case 8:
      return `app_${random.int(1, 9)}.*.read`;
    default:
      return `store:${random.int(1, 300)};aisle:${random.int(1, 40)}`;
  }
}

function directTags(random: Random, count: number): string[] {
  const tags = new Set<string>();
  while (tags.size < count) tags.add(directTag(random));
  return [...tags];
}

/** Picks an org index skewed towards the first ones: a few big orgs, many small. */
function skewedIndex(random: Random, n: number): number {
  const r = random.next();
  return Math.min(n - 1, Math.floor(n * r * r));
}

const pad = (n: number, width: number) => String(n).padStart(width, '0');

export function realmCount(target: number): number {
  return Math.max(2, Math.min(REALM_NAMES.length, Math.round(Math.log10(Math.max(10, target))) - 1));
}

interface Draft {
  roles: string[];
  direct: string[];
  grants: number;
}

function draftMembership(random: Random, roles: Map<string, string[]>, roleNames: string[]): Draft {
  const picked = random.sample(roleNames, weighted(random, ROLE_COUNT_WEIGHTS));
  let direct = directTags(random, weighted(random, DIRECT_COUNT_WEIGHTS));
  if (picked.length === 0 && direct.length === 0 && random.chance(0.7)) direct = directTags(random, 1);
  const grants = direct.length + picked.reduce((sum, r) => sum + (roles.get(r)?.length ?? 0), 0);
  return { roles: picked, direct, grants };
}

/** Memberships of one realm until its grant budget is spent exactly. */
function buildRealm(random: Random, index: number, budget: number): RealmSpec {
  const name = REALM_NAMES[index];
  const roles = random.sample(ROLE_CATALOGUE, random.int(8, ROLE_CATALOGUE.length));
  const roleTags = new Map(roles.map((r) => [r.name, r.permissions]));
  const roleNames = roles.map((r) => r.name);
  const expectedUsers = budget / (GRANTS_PER_MEMBERSHIP * MEMBERSHIPS_PER_USER);
  const orgs = Array.from({ length: Math.max(3, Math.round(expectedUsers / 25)) }, (_, i) => `org-${pad(i + 1, 5)}`);
  const users: string[] = [];
  const disabledUsers: string[] = [];
  const memberships: MembershipInput[] = [];
  let remaining = budget;
  const expiry = () => new Date(Date.UTC(2090 + random.int(0, 9), random.int(0, 11), random.int(1, 28))).toISOString();

  const add = (user: string, org: string | null) => {
    let draft = draftMembership(random, roleTags, roleNames);
    for (let tries = 0; draft.grants > remaining && tries < 100; tries += 1) draft = draftMembership(random, roleTags, roleNames);
    if (draft.grants > remaining) draft = { roles: [], direct: directTags(random, remaining), grants: remaining };
    remaining -= draft.grants;
    const m: MembershipInput = { user, org, roles: draft.roles, permissions: draft.direct };
    if (random.chance(EXPIRING_SHARE)) m.expiresAt = expiry();
    memberships.push(m);
  };

  while (remaining > 0) {
    const user = `user${pad(users.length + 1, 6)}@${name}.example`;
    users.push(user);
    const first = skewedIndex(random, orgs.length);
    add(user, orgs[first]);
    if (remaining > 0 && random.chance(SECOND_ORG_SHARE)) {
      const second = (first + 1 + random.int(0, orgs.length - 2)) % orgs.length;
      add(user, orgs[second]);
    }
    if (remaining > 0 && random.chance(REALM_LEVEL_SHARE)) add(user, null);
  }
  disabledUsers.push(...random.sample(users, Math.min(MAX_DISABLED, Math.max(1, Math.round(users.length * DISABLED_SHARE)))));
  // every realm has at least one expiring membership
  if (!memberships.some((m) => m.expiresAt)) memberships[memberships.length - 1].expiresAt = expiry();
  return { name, roles, orgs, users, disabledUsers, memberships };
}

function describe(realms: RealmSpec[]): { grants: number; shape: WorkloadShape } {
  const shape: WorkloadShape = {
    realms: realms.length,
    orgs: 0,
    users: 0,
    disabledUsers: 0,
    roles: 0,
    roleTags: { min: Infinity, max: 0, wildcards: 0, total: 0 },
    memberships: 0,
    orgMemberships: 0,
    realmMemberships: 0,
    expiringMemberships: 0,
    rolesPerMembership: [0, 0, 0, 0],
    directPerMembership: [0, 0, 0, 0, 0, 0],
    directGrants: 0,
    roleGrants: 0,
    wildcardGrants: 0,
    casbinP: 0,
    casbinG: 0,
  };
  for (const realm of realms) {
    shape.orgs += realm.orgs.length;
    shape.users += realm.users.length;
    shape.disabledUsers += realm.disabledUsers.length;
    shape.roles += realm.roles.length;
    const roleTags = new Map(realm.roles.map((r) => [r.name, r.permissions]));
    for (const r of realm.roles) {
      shape.roleTags.min = Math.min(shape.roleTags.min, r.permissions.length);
      shape.roleTags.max = Math.max(shape.roleTags.max, r.permissions.length);
      shape.roleTags.total += r.permissions.length;
      shape.roleTags.wildcards += r.permissions.filter((t) => t.includes('*')).length;
      shape.casbinP += r.permissions.length;
    }
    for (const m of realm.memberships) {
      const roles = m.roles ?? [];
      const direct = m.permissions ?? [];
      shape.memberships += 1;
      if (m.org) shape.orgMemberships += 1;
      else shape.realmMemberships += 1;
      if (m.expiresAt) shape.expiringMemberships += 1;
      shape.rolesPerMembership[Math.min(roles.length, 3)] += 1;
      shape.directPerMembership[Math.min(direct.length, 5)] += 1;
      shape.directGrants += direct.length;
      shape.wildcardGrants += direct.filter((t) => t.includes('*')).length;
      for (const role of roles) {
        const tags = roleTags.get(role) ?? [];
        shape.roleGrants += tags.length;
        shape.wildcardGrants += tags.filter((t) => t.includes('*')).length;
      }
      shape.casbinP += direct.length;
      shape.casbinG += roles.length;
    }
  }
  return { grants: shape.directGrants + shape.roleGrants, shape };
}

/** The workload of `target` grants, split over a few realms; its grant count is exactly `target`. */
export function buildWorkload(target: number, seed = 20261123): Workload {
  const random = new Random(seed ^ target);
  const n = realmCount(target);
  const realms = Array.from({ length: n }, (_, i) => {
    const budget = i === n - 1 ? target - Math.floor(target / n) * (n - 1) : Math.floor(target / n);
    return buildRealm(random, i, budget);
  });
  const { grants, shape } = describe(realms);
  if (grants !== target) throw new Error(`workload of ${target} grants came out at ${grants}`);
  return { target, grants, realms, shape };
}
