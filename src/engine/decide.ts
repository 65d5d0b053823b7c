import { membershipDomain, ROLE_PREFIX, userSubject } from './domains';
import type { PolicyState } from './policyState';

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
 * BRIEF semantics 3 and 4 on the records, then Casbin's own enforce (semantics 1, 2 and 6) on the
 * rules. Touches memory only.
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

  const [allowed, rule] = state.enforcer.enforceExSync(
    userSubject(q.subject),
    membershipDomain(q.realm, q.org),
    q.permission,
  );
  if (!allowed) return deny('no_grant');
  const [subject, , grant] = rule;
  return {
    allowed: true,
    reason: 'granted',
    match: {
      realm: q.realm,
      user: q.subject,
      org: q.org,
      role: subject.startsWith(ROLE_PREFIX) ? subject.slice(ROLE_PREFIX.length) : null,
      grant,
    },
  };
}
