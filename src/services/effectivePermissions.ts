import { effectivePermissions, type EffectivePermissions } from '../engine/effectivePermissions';
import type { PolicyState } from '../engine/policyState';
import type { UserState } from '../engine/records';
import { notFound } from '../errors';

export interface EffectivePermissionsResult extends EffectivePermissions {
  realm: string;
  user: string;
  org: string | null;
  state: UserState;
  expiresAt: string | null;
  /** false when checks would deny everything: user disabled, no membership, or expired */
  effective: boolean;
  reason: 'granted' | 'user_disabled' | 'no_membership' | 'expired';
  revision: number;
}

const NONE: EffectivePermissions = { roles: [], direct: [], permissions: [], byRole: {} };

/**
 * What a user may do in an org (or at realm level), directly and through roles, answered from
 * memory. When checks would deny everything, the lists are empty and `reason` says why.
 */
export function getEffectivePermissions(
  deps: { state: PolicyState; now: () => number },
  realm: string,
  user: string,
  org: string | null,
): EffectivePermissionsResult {
  const records = deps.state.realm(realm);
  if (!records) throw notFound('realm', realm);
  const state = records.users.get(user);
  if (state === undefined) throw notFound('user', user);
  if (org !== null && !records.orgs.has(org)) throw notFound('org', org);
  const m = records.membership(user, org);
  const base = { realm, user, org, state, expiresAt: null, revision: deps.state.revision };
  if (!m) return { ...base, ...NONE, effective: false, reason: 'no_membership' };
  const expiresAt = m.expiresAt === null ? null : new Date(m.expiresAt).toISOString();
  if (state === 'disabled') return { ...base, ...NONE, expiresAt, effective: false, reason: 'user_disabled' };
  if (m.expiresAt !== null && m.expiresAt <= deps.now()) return { ...base, ...NONE, expiresAt, effective: false, reason: 'expired' };
  return { ...base, ...effectivePermissions(records, m), expiresAt, effective: true, reason: 'granted' };
}
