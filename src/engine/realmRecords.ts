import type { MembershipRecord, UserState } from './records';

/** The key of a membership's org inside a realm: '' for the realm-level one (org names are never empty). */
export const orgKey = (org: string | null): string => org ?? '';

/** The inverse of orgKey, also how a stored row's org column reads (the column is never null). */
export const orgFromKey = (key: string): string | null => (key === '' ? null : key);

/** Everything one realm holds, indexed both by user and by org. */
export class RealmRecords {
  readonly orgs = new Set<string>();
  readonly users = new Map<string, UserState>();
  readonly roles = new Map<string, string[]>();
  private readonly byUser = new Map<string, Map<string, MembershipRecord>>();
  private readonly byOrg = new Map<string, Map<string, MembershipRecord>>();
  private count = 0;

  membership(user: string, org: string | null): MembershipRecord | undefined {
    return this.byUser.get(user)?.get(orgKey(org));
  }

  membershipsOfUser(user: string): MembershipRecord[] {
    return [...(this.byUser.get(user)?.values() ?? [])];
  }

  membershipsInOrg(org: string | null): MembershipRecord[] {
    return [...(this.byOrg.get(orgKey(org))?.values() ?? [])];
  }

  allMemberships(): MembershipRecord[] {
    const all: MembershipRecord[] = [];
    for (const byOrg of this.byUser.values()) all.push(...byOrg.values());
    return all;
  }

  get membershipCount(): number {
    return this.count;
  }

  putMembership(m: MembershipRecord): void {
    const key = orgKey(m.org);
    const forUser = this.byUser.get(m.user) ?? new Map<string, MembershipRecord>();
    if (!forUser.has(key)) this.count += 1;
    forUser.set(key, m);
    this.byUser.set(m.user, forUser);
    const forOrg = this.byOrg.get(key) ?? new Map<string, MembershipRecord>();
    forOrg.set(m.user, m);
    this.byOrg.set(key, forOrg);
  }

  removeMembership(user: string, org: string | null): MembershipRecord | undefined {
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
