import type { Tx } from './database';

/** The membership a write names, and the roles it gives. */
export interface SlotKey {
  realm: string;
  user: string;
  /** null for the realm-level membership */
  org: string | null;
  roles: readonly string[];
}

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

interface SlotRow {
  i: number;
  realm_exists: boolean;
  roles: string[];
  user_exists: boolean;
  org_exists: boolean;
  m_roles: string[] | null;
  m_permissions: string[] | null;
  m_expires_at: Date | null;
  m_revision: bigint | null;
}

/**
 * The realm, the named roles, the user, the org and the membership itself, as one round trip: a
 * single membership write is the most frequent write, and five queries were most of its time.
 */
export async function readMembershipSlot(tx: Pick<Tx, '$queryRaw'>, realm: string, user: string, org: string | null, roles: string[]): Promise<MembershipSlot> {
  const [slot] = await readMembershipSlots(tx, [{ realm, user, org, roles }]);
  return slot;
}

/** The slots of many memberships, in the order of the keys, in the same one round trip. */
export async function readMembershipSlots(tx: Pick<Tx, '$queryRaw'>, keys: readonly SlotKey[]): Promise<MembershipSlot[]> {
  if (keys.length === 0) return [];
  const rows = await tx.$queryRaw<SlotRow[]>`
    SELECT k.i,
           EXISTS (SELECT 1 FROM realm WHERE name = k.realm) AS realm_exists,
           ARRAY(SELECT name FROM role WHERE realm = k.realm AND name IN (SELECT jsonb_array_elements_text(k.roles))) AS roles,
           EXISTS (SELECT 1 FROM app_user WHERE realm = k.realm AND name = k.u) AS user_exists,
           (k.o IS NULL OR EXISTS (SELECT 1 FROM org WHERE realm = k.realm AND name = k.o)) AS org_exists,
           m.roles AS m_roles, m.permissions AS m_permissions, m.expires_at AS m_expires_at, m.revision AS m_revision
    FROM jsonb_to_recordset(${JSON.stringify(keys.map((k, i) => ({ i, realm: k.realm, u: k.user, o: k.org, roles: k.roles })))}::jsonb)
           AS k(i int, realm text, u text, o text, roles jsonb)
    LEFT JOIN membership m ON m.realm = k.realm AND m."user" = k.u AND m.org = coalesce(k.o, '')`;
  const slots: MembershipSlot[] = new Array(keys.length);
  for (const row of rows) {
    slots[row.i] = {
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
  return slots;
}
