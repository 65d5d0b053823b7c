import type { Tx } from './database';

/** What a write of one membership needs to know, read in one statement. */
export interface MembershipSlot {
  realmExists: boolean;
  /** of the roles asked about, those that exist in the realm */
  roles: Set<string>;
  userExists: boolean;
  /** true for the realm-level membership, which names no org */
  orgExists: boolean;
  membership: { roles: string[]; permissions: string[]; expiresAt: Date | null; revision: bigint } | null;
}

/**
 * The realm, the named roles, the user, the org and the membership itself, as one round trip: a
 * single membership write is the most frequent write, and five queries were most of its time.
 */
export async function readMembershipSlot(tx: Pick<Tx, '$queryRaw'>, realm: string, user: string, org: string | null, roles: string[]): Promise<MembershipSlot> {
  const [row] = await tx.$queryRaw<
    {
      realm_exists: boolean;
      roles: string[];
      user_exists: boolean;
      org_exists: boolean;
      m_roles: string[] | null;
      m_permissions: string[] | null;
      m_expires_at: Date | null;
      m_revision: bigint | null;
    }[]
  >`
    SELECT EXISTS (SELECT 1 FROM realm WHERE name = ${realm}) AS realm_exists,
           ARRAY(SELECT name FROM role WHERE realm = ${realm} AND name = ANY(${roles}::text[])) AS roles,
           EXISTS (SELECT 1 FROM app_user WHERE realm = ${realm} AND name = ${user}) AS user_exists,
           (${org}::text IS NULL OR EXISTS (SELECT 1 FROM org WHERE realm = ${realm} AND name = ${org}::text)) AS org_exists,
           m.roles AS m_roles, m.permissions AS m_permissions, m.expires_at AS m_expires_at, m.revision AS m_revision
    FROM (SELECT 1) AS one
    LEFT JOIN membership m ON m.realm = ${realm} AND m."user" = ${user} AND m.org = ${org ?? ''}`;
  return {
    realmExists: row.realm_exists,
    roles: new Set(row.roles),
    userExists: row.user_exists,
    orgExists: row.org_exists,
    membership:
      row.m_revision === null
        ? null
        : { roles: row.m_roles ?? [], permissions: row.m_permissions ?? [], expiresAt: row.m_expires_at, revision: BigInt(row.m_revision) },
  };
}
