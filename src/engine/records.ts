/** The records realmgate keeps: the source of truth, from which Casbin rules are derived. */

export type UserState = 'active' | 'disabled';

export interface MembershipRecord {
  realm: string;
  user: string;
  /** null for the realm-level (org-less) membership */
  org: string | null;
  roles: string[];
  permissions: string[];
  /** epoch milliseconds, or null when it never expires */
  expiresAt: number | null;
  /** the revision that last wrote it */
  revision: number;
}

export interface RoleRecord {
  realm: string;
  name: string;
  permissions: string[];
}

/** What a membership says, as a change records it (expiresAt as ISO 8601). */
export interface MembershipFields {
  roles: string[];
  permissions: string[];
  expiresAt: string | null;
}

/** A membership removed along with its user, org or realm. */
export interface RemovedMembership extends MembershipFields {
  user: string;
  org: string | null;
}

/**
 * One step of a change. A change (one revision) is a list of these, applied in order. The
 * optional fields say what the write found before it (`previous: null`: the record did not exist),
 * for the events derived from the change; entries written before they existed lack them.
 */
export type Op =
  | { type: 'realm.upserted'; realm: string }
  | { type: 'realm.deleted'; realm: string; memberships?: RemovedMembership[] }
  | { type: 'org.upserted'; realm: string; org: string }
  | { type: 'org.deleted'; realm: string; org: string; memberships?: RemovedMembership[] }
  | { type: 'user.upserted'; realm: string; user: string; state: UserState; previous?: UserState | null }
  | { type: 'user.deleted'; realm: string; user: string; state?: UserState; memberships?: RemovedMembership[] }
  | { type: 'role.upserted'; realm: string; role: string; permissions: string[]; previous?: string[] | null }
  | { type: 'role.deleted'; realm: string; role: string; permissions?: string[] }
  | {
      type: 'membership.upserted';
      realm: string;
      user: string;
      org: string | null;
      roles: string[];
      permissions: string[];
      expiresAt: string | null;
      previous?: MembershipFields | null;
    }
  | {
      type: 'membership.deleted';
      realm: string;
      user: string;
      org: string | null;
      reason: DeletionReason;
      previous?: MembershipFields;
    }
  | {
      type: 'token.created';
      realm: string;
      id: string;
      name: string;
      scopes: string[];
      /** SHA-256 of the secret, hex; the secret itself is never stored */
      hash: string;
      createdAt: string;
      expiresAt: string | null;
    }
  | { type: 'token.revoked'; realm: string; id: string };

/**
 * Token ops travel in the change log so that every sidecar learns of them in order, but they are
 * credentials, not records of the realm: they are no events and no part of the state digest.
 */
export function isTokenOp(op: Op): op is Extract<Op, { type: 'token.created' | 'token.revoked' }> {
  return op.type === 'token.created' || op.type === 'token.revoked';
}

/** Change kinds every sidecar reads whatever realms it serves: its token table holds every realm's. */
export const FLEET_WIDE_KINDS: readonly string[] = ['token.created', 'token.revoked', 'realm.deleted'];

/** Why a membership was deleted on its own; 'deleted' is how entries written before 'api' said it. */
export type DeletionReason = 'api' | 'expired' | 'sync' | 'deleted';

export interface Change {
  revision: number;
  realm: string;
  ops: Op[];
}
