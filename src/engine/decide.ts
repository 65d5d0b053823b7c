import type { PolicyState } from './policyState';
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
 * BRIEF semantics 3 and 4 on the records, then the grants of the one membership that applies: its
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
  const userState = realm.users.get(q.subject);
  if (userState === undefined) return deny('unknown_user');
  if (userState === 'disabled') return deny('user_disabled');
  if (q.org !== null && !realm.orgs.has(q.org)) return deny('unknown_org');
  const membership = realm.membership(q.subject, q.org);
  if (!membership) return deny('no_membership');
  if (membership.expiresAt !== null && membership.expiresAt <= now) return deny('expired');

  const granted = (role: string | null, grant: string): Decision => ({
    allowed: true,
    reason: 'granted',
    match: { realm: q.realm, user: q.subject, org: q.org, role, grant },
  });
  const requested = new Requested(q.permission);
  const direct = membership.grants.find(requested);
  if (direct !== undefined) return granted(null, direct);
  for (const role of membership.roles) {
    const grant = realm.roles.grants(role)?.find(requested);
    if (grant !== undefined) return granted(role, grant);
  }
  return deny('no_grant');
}
