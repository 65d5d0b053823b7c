import type { RealmRecords } from './realmRecords';
import type { Op, UserState } from './records';

/** One effective tag a user holds in an org (null: at realm level). */
export interface EffectEntry {
  user: string;
  org: string | null;
  permission: string;
}

export interface ChangeEffect {
  /** records (memberships, roles, users, orgs) the ops would create, replace or delete */
  changes: { created: number; updated: number; deleted: number };
  granted: EffectEntry[];
  revoked: EffectEntry[];
}

interface MembershipView {
  roles: readonly string[];
  permissions: readonly string[];
  /** epoch milliseconds */
  expiresAt: number | null;
}

/** How a realm reads: the memory itself, or memory with a change laid over it. */
interface RealmView {
  userState(user: string): UserState | undefined;
  membership(user: string, org: string | null): MembershipView | undefined;
  rolePermissions(role: string): readonly string[] | undefined;
}

const key = (user: string, org: string | null): string => `${user}\u0000${org ?? ''}`;

const memoryView = (realm: RealmRecords): RealmView => ({
  userState: (user) => realm.users.get(user),
  membership: (user, org) => realm.membership(user, org),
  rolePermissions: (role) => realm.roles.get(role),
});

/** Memory with ops applied on top, in order, without touching memory: null marks a deletion. */
class Overlay implements RealmView {
  readonly users = new Map<string, UserState | null>();
  readonly orgs = new Map<string, boolean>();
  readonly roles = new Map<string, readonly string[] | null>();
  readonly memberships = new Map<string, MembershipView | null>();

  constructor(private readonly base: RealmView) {}

  userState(user: string): UserState | undefined {
    const over = this.users.get(user);
    return over === undefined ? this.base.userState(user) : (over ?? undefined);
  }

  membership(user: string, org: string | null): MembershipView | undefined {
    const over = this.memberships.get(key(user, org));
    return over === undefined ? this.base.membership(user, org) : (over ?? undefined);
  }

  rolePermissions(role: string): readonly string[] | undefined {
    const over = this.roles.get(role);
    return over === undefined ? this.base.rolePermissions(role) : (over ?? undefined);
  }
}

const NONE: readonly string[] = [];

/**
 * The tags a user may use in an org, as a check would decide at `now`: its membership's direct tags
 * and its roles' tags (stored in lower case already); nothing for a disabled or unknown user, or an
 * expired or missing membership. May hold repeats; `missing` copes.
 */
function effectiveTags(view: RealmView, user: string, org: string | null, now: number): readonly string[] {
  if (view.userState(user) !== 'active') return NONE;
  const m = view.membership(user, org);
  if (!m || (m.expiresAt !== null && m.expiresAt <= now)) return NONE;
  if (m.roles.length === 0) return m.permissions;
  const tags = [...m.permissions];
  for (const role of m.roles) {
    const granted = view.rolePermissions(role);
    if (granted) for (const tag of granted) tags.push(tag);
  }
  return tags;
}

/** The tags of `from` that `other` lacks, each once; short lists (the usual case) are compared in place. */
function missing(from: readonly string[], other: readonly string[]): string[] {
  const found: string[] = [];
  if (from.length * other.length <= 1024) {
    for (const tag of from) if (!other.includes(tag) && !found.includes(tag)) found.push(tag);
    return found;
  }
  const lookup = new Set(other);
  const seen = new Set<string>();
  for (const tag of from) {
    if (!lookup.has(tag) && !seen.has(tag)) {
      seen.add(tag);
      found.push(tag);
    }
  }
  return found;
}

const byUserOrgPermission = (a: EffectEntry, b: EffectEntry): number =>
  a.user < b.user ? -1 : a.user > b.user ? 1 : (a.org ?? '') < (b.org ?? '') ? -1 : (a.org ?? '') > (b.org ?? '') ? 1 : a.permission < b.permission ? -1 : a.permission > b.permission ? 1 : 0;

/**
 * What a change would do to one realm's effective permissions: for every (user, org) it touches,
 * directly or through a role or a user's state, the tags it would gain and lose. Tags are compared
 * as granted, wildcards included (`orders:*` gained is reported as `orders:*`). Memory is read,
 * never changed.
 */
export function changeEffect(realm: RealmRecords, ops: readonly Op[], now: number): ChangeEffect {
  const before = memoryView(realm);
  const after = new Overlay(before);
  const changes = { created: 0, updated: 0, deleted: 0 };
  const touched = new Map<string, { user: string; org: string | null }>();
  const touch = (user: string, org: string | null) => touched.set(key(user, org), { user, org });
  const count = (existed: boolean, deleting: boolean) => {
    if (deleting) changes.deleted += existed ? 1 : 0;
    else if (existed) changes.updated += 1;
    else changes.created += 1;
  };
  /** the (user, org) of every membership the ops write, for finding a role's or a user's new holders */
  const written = new Map<string, { user: string; org: string | null }>();
  const touchHolders = (role: string) => {
    for (const m of realm.allMemberships()) if (m.roles.includes(role)) touch(m.user, m.org);
    for (const [k, at] of written) if (after.memberships.get(k)?.roles.includes(role)) touch(at.user, at.org);
  };
  const touchUser = (user: string) => {
    for (const m of realm.membershipsOfUser(user)) touch(m.user, m.org);
    for (const at of written.values()) if (at.user === user) touch(at.user, at.org);
  };

  for (const op of ops) {
    switch (op.type) {
      case 'membership.upserted': {
        count(after.membership(op.user, op.org) !== undefined, false);
        const expiresAt = op.expiresAt === null ? null : Date.parse(op.expiresAt);
        after.memberships.set(key(op.user, op.org), { roles: op.roles, permissions: op.permissions, expiresAt });
        written.set(key(op.user, op.org), { user: op.user, org: op.org });
        touch(op.user, op.org);
        break;
      }
      case 'membership.deleted':
        count(after.membership(op.user, op.org) !== undefined, true);
        after.memberships.set(key(op.user, op.org), null);
        written.set(key(op.user, op.org), { user: op.user, org: op.org });
        touch(op.user, op.org);
        break;
      case 'role.upserted':
        count(after.rolePermissions(op.role) !== undefined, false);
        after.roles.set(op.role, op.permissions);
        touchHolders(op.role);
        break;
      case 'role.deleted':
        count(after.rolePermissions(op.role) !== undefined, true);
        after.roles.set(op.role, null);
        touchHolders(op.role);
        break;
      case 'user.upserted':
        count(after.userState(op.user) !== undefined, false);
        after.users.set(op.user, op.state);
        touchUser(op.user);
        break;
      case 'user.deleted':
        count(after.userState(op.user) !== undefined, true);
        after.users.set(op.user, null);
        touchUser(op.user);
        break;
      case 'org.upserted':
        count(after.orgs.get(op.org) ?? realm.orgs.has(op.org), false);
        after.orgs.set(op.org, true);
        break;
      case 'org.deleted':
      case 'realm.upserted':
      case 'realm.deleted':
        throw new Error(`a preview of ${op.type} is not supported`);
    }
  }

  const granted: EffectEntry[] = [];
  const revoked: EffectEntry[] = [];
  for (const { user, org } of touched.values()) {
    const was = effectiveTags(before, user, org, now);
    const will = effectiveTags(after, user, org, now);
    for (const permission of missing(will, was)) granted.push({ user, org, permission });
    for (const permission of missing(was, will)) revoked.push({ user, org, permission });
  }
  return { changes, granted: granted.sort(byUserOrgPermission), revoked: revoked.sort(byUserOrgPermission) };
}
