import type { PolicyState } from './policyState';
import type { RealmRecords } from './realmRecords';
import { Requested } from './grantSet';

export type DenyReason =
  | 'unknown_realm'
  | 'unknown_user'
  | 'user_disabled'
  | 'unknown_org'
  | 'no_membership'
  | 'expired'
  | 'no_grant';

export interface CheckQuery {
  realm: string;
  subject: string;
  /** null for a realm-level check */
  org: string | null;
  /** already lower-cased */
  permission: string;
}

export interface GrantMatch {
  realm: string;
  user: string;
  org: string | null;
  /** the role through which the grant came, or null for a direct grant of the membership */
  role: string | null;
  /** the granted tag that matched */
  grant: string;
}

export type Decision =
  | { allowed: true; reason: 'granted'; match: GrantMatch }
  | { allowed: false; reason: DenyReason };

const deny = (reason: DenyReason): Decision => ({ allowed: false, reason });

/**
 * BRIEF semantics 3 and 4 on the records, then the grants of the one membership that applies (one
 * lookup by user and org; the user's state read through the membership): its
 * direct tags, then each of its roles' tags, each a compiled GrantSet (a hash lookup and a trie
 * walk). This is what Casbin's enforce computes over the rules derived from the same records
 * (policies/model.conf), without visiting any other rule or scanning any tag list: the cost is a
 * few hash lookups per role of the membership, whatever the size of the policy. A direct grant
 * is named before a role's, a literal grant before a wildcard. test/engine/differential.test.ts holds it
 * equal to Enforcer.enforce. Touches memory only.
 */
export function decide(state: PolicyState, q: CheckQuery, now: number): Decision {
  const realm = state.realm(q.realm);
  if (!realm) return deny('unknown_realm');
  const membership = realm.membership(q.subject, q.org);
  // no membership: say why, in the order of rule 4 (a membership implies its user and org exist)
  if (!membership) return deny(whyNoMembership(realm, q));
  if (membership.holder.state !== 'active') return deny(membership.holder.state === 'disabled' ? 'user_disabled' : 'unknown_user');
  if (membership.expiresAt !== null && membership.expiresAt <= now) return deny('expired');

  const requested = new Requested(q.permission);
  const direct = membership.grants.find(requested);
  if (direct !== undefined) return granted(q, null, direct);
  for (const role of membership.roles) {
    const grant = realm.roles.grants(role)?.find(requested);
    if (grant !== undefined) return granted(q, role, grant);
  }
  return deny('no_grant');
}

function granted(q: CheckQuery, role: string | null, grant: string): Decision {
  return { allowed: true, reason: 'granted', match: { realm: q.realm, user: q.subject, org: q.org, role, grant } };
}

function whyNoMembership(realm: RealmRecords, q: CheckQuery): DenyReason {
  const userState = realm.users.get(q.subject);
  if (userState === undefined) return 'unknown_user';
  if (userState === 'disabled') return 'user_disabled';
  if (q.org !== null && !realm.orgs.has(q.org)) return 'unknown_org';
  return 'no_membership';
}
