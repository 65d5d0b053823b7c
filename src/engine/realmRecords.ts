import { GrantSet } from './grantSet';
import type { MembershipRecord } from './records';
import { RoleTable } from './roleTable';
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

/** Everything one realm holds, memberships indexed both by user (then org) and by org (then user). */
export class RealmRecords {
  readonly orgs = new Set<string>();
  readonly users = new UserTable();
  readonly roles = new RoleTable();
  private readonly byUser = new Map<string, Map<string, StoredMembership>>();
  private readonly byOrg = new Map<string, Map<string, StoredMembership>>();
  private count = 0;

  membership(user: string, org: string | null): StoredMembership | undefined {
    return this.byUser.get(user)?.get(orgKey(org));
  }

  membershipsOfUser(user: string): StoredMembership[] {
    return [...(this.byUser.get(user)?.values() ?? [])];
  }

  membershipsInOrg(org: string | null): StoredMembership[] {
    return [...(this.byOrg.get(orgKey(org))?.values() ?? [])];
  }

  allMemberships(): StoredMembership[] {
    const all: StoredMembership[] = [];
    for (const byOrg of this.byUser.values()) all.push(...byOrg.values());
    return all;
  }

  get membershipCount(): number {
    return this.count;
  }

  /** Stores the membership with its direct tags compiled, in place of any earlier one. */
  putMembership(record: MembershipRecord): void {
    const m: StoredMembership = { ...record, grants: GrantSet.of(record.permissions), holder: this.users.entry(record.user) };
    const key = orgKey(m.org);
    const forUser = this.byUser.get(m.user) ?? new Map<string, StoredMembership>();
    if (!forUser.has(key)) this.count += 1;
    forUser.set(key, m);
    this.byUser.set(m.user, forUser);
    const forOrg = this.byOrg.get(key) ?? new Map<string, StoredMembership>();
    forOrg.set(m.user, m);
    this.byOrg.set(key, forOrg);
  }

  removeMembership(user: string, org: string | null): StoredMembership | undefined {
    const key = orgKey(org);
    const forUser = this.byUser.get(user);
    const existing = forUser?.get(key);
    if (!forUser || !existing) return undefined;
    forUser.delete(key);
    if (forUser.size === 0) this.byUser.delete(user);
    const forOrg = this.byOrg.get(key);
    forOrg?.delete(user);
    if (forOrg && forOrg.size === 0) this.byOrg.delete(key);
    this.count -= 1;
    return existing;
  }
}
