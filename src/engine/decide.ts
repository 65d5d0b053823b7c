import type { PolicyState } from './policyState';
import { grantMatches } from './tags';

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
 * direct tags and its roles' tags. This is what Casbin's enforce computes over the rules derived
 * from the same records (policies/model.conf), without visiting any other rule: the cost follows
 * the user's own grants, not the size of the policy. test/engine/differential.test.ts holds it
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
  for (const grant of membership.permissions) {
    if (grantMatches(q.permission, grant)) return granted(null, grant);
  }
  for (const role of membership.roles) {
    for (const grant of realm.roles.get(role) ?? []) {
      if (grantMatches(q.permission, grant)) return granted(role, grant);
    }
  }
  return deny('no_grant');
}
