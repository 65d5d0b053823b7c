import { GrantSet } from './grantSet';
import type { MembershipRecord } from './records';
import { RoleTable } from './roleTable';
import type { TimeSlice } from './timeSlice';
import { UserTable, type UserEntry } from './userTable';

/** A membership as memory holds it: the record, its direct tags compiled, and its user's entry. */
export interface StoredMembership extends MembershipRecord {
  readonly grants: GrantSet;
  readonly holder: UserEntry;
}

/** The key of a membership's org inside a realm: '' for the realm-level one (org names are never empty). */
export const orgKey = (org: string | null): string => org ?? '';

/** The inverse of orgKey, also how a stored row's org column reads (the column is never null). */
export const orgFromKey = (key: string): string | null => (key === '' ? null : key);

/** A user's memberships: most users hold one, kept as is; more than one, by org key. */
type UserMemberships = StoredMembership | Map<string, StoredMembership>;

/** Everything one realm holds, memberships indexed both by user (then org) and by org (then user). */
export class RealmRecords {
  readonly orgs = new Set<string>();
  readonly users = new UserTable();
  readonly roles = new RoleTable();
  private readonly byUser = new Map<string, UserMemberships>();
  private readonly byOrg = new Map<string, Map<string, StoredMembership>>();
  private count = 0;

  membership(user: string, org: string | null): StoredMembership | undefined {
    const held = this.byUser.get(user);
    if (held === undefined) return undefined;
    if (held instanceof Map) return held.get(orgKey(org));
    return held.org === org ? held : undefined;
  }

  membershipsOfUser(user: string): StoredMembership[] {
    const held = this.byUser.get(user);
    if (held === undefined) return [];
    return held instanceof Map ? [...held.values()] : [held];
  }

  membershipsInOrg(org: string | null): StoredMembership[] {
    return [...(this.byOrg.get(orgKey(org))?.values() ?? [])];
  }

  allMemberships(): StoredMembership[] {
    const all: StoredMembership[] = [];
    for (const held of this.byUser.values()) {
      if (held instanceof Map) all.push(...held.values());
      else all.push(held);
    }
    return all;
  }

  get membershipCount(): number {
    return this.count;
  }

  /** Stores the membership with its direct tags compiled, in place of any earlier one. */
  putMembership(record: MembershipRecord): void {
    this.put({ ...record, grants: GrantSet.of(record.permissions), holder: this.users.entry(record.user) });
  }

  /**
   * A copy to change aside while checks go on reading this one; this one must not change meanwhile.
   * It shares what is never changed in place (records, compiled tags) and has its own tables and
   * user entries (a user's state is changed in place), in slices that let requests in.
   */
  async copy(slice: TimeSlice): Promise<RealmRecords> {
    const copy = new RealmRecords();
    for (const org of this.orgs) {
      copy.orgs.add(org);
      if (slice.due()) await slice.pause();
    }
    for (const [name, state] of this.users) {
      copy.users.set(name, state);
      if (slice.due()) await slice.pause();
    }
    this.roles.copyInto(copy.roles);
    for (const held of this.byUser.values()) {
      if (held instanceof Map) {
        for (const m of held.values()) copy.put({ ...m, holder: copy.users.entry(m.user) });
      } else {
        copy.put({ ...held, holder: copy.users.entry(held.user) });
      }
      if (slice.due()) await slice.pause();
    }
    return copy;
  }

  private put(m: StoredMembership): void {
    const key = orgKey(m.org);
    const held = this.byUser.get(m.user);
    if (held === undefined) {
      this.byUser.set(m.user, m);
      this.count += 1;
    } else if (held instanceof Map) {
      if (!held.has(key)) this.count += 1;
      held.set(key, m);
    } else if (held.org === m.org) {
      this.byUser.set(m.user, m);
    } else {
      this.byUser.set(m.user, new Map([[orgKey(held.org), held], [key, m]]));
      this.count += 1;
    }
    const forOrg = this.byOrg.get(key) ?? new Map<string, StoredMembership>();
    forOrg.set(m.user, m);
    this.byOrg.set(key, forOrg);
  }

  removeMembership(user: string, org: string | null): StoredMembership | undefined {
    const existing = this.membership(user, org);
    if (!existing) return undefined;
    const key = orgKey(org);
    const held = this.byUser.get(user);
    if (held instanceof Map) {
      held.delete(key);
      // back to the one-membership form when one is left
      if (held.size === 1) this.byUser.set(user, held.values().next().value as StoredMembership);
    } else {
      this.byUser.delete(user);
    }
    const forOrg = this.byOrg.get(key);
    forOrg?.delete(user);
    if (forOrg && forOrg.size === 0) this.byOrg.delete(key);
    this.count -= 1;
    return existing;
  }
}
