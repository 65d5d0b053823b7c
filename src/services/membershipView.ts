import { orgFromKey } from '../engine/realmRecords';

export interface MembershipView {
  realm: string;
  user: string;
  org: string | null;
  roles: string[];
  permissions: string[];
  expiresAt: string | null;
  revision: number;
}

export function membershipView(row: {
  realm: string;
  user: string;
  org: string;
  roles: string[];
  permissions: string[];
  expiresAt: Date | null;
  revision: bigint;
}): MembershipView {
  return {
    realm: row.realm,
    user: row.user,
    org: orgFromKey(row.org),
    roles: row.roles,
    permissions: row.permissions,
    expiresAt: row.expiresAt?.toISOString() ?? null,
    revision: Number(row.revision),
  };
}
