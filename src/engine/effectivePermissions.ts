import type { MembershipRecord } from './records';
import type { RealmRecords } from './realmRecords';
import { normalizeTags } from './tags';

export interface EffectivePermissions {
  roles: string[];
  direct: string[];
  /** every tag the membership grants, directly or through its roles, de-duplicated and sorted */
  permissions: string[];
  byRole: Record<string, string[]>;
}

/** What a membership grants: its direct tags and its roles' tags (the roles as they are now). */
export function effectivePermissions(realm: RealmRecords, m: MembershipRecord): EffectivePermissions {
  const byRole: Record<string, string[]> = {};
  for (const role of m.roles) byRole[role] = realm.roles.get(role) ?? [];
  const all = normalizeTags([...m.permissions, ...Object.values(byRole).flat()]).sort();
  return { roles: m.roles, direct: m.permissions, permissions: all, byRole };
}
