import { decide, type GrantMatch } from '../engine/decide';
import type { PolicyState } from '../engine/policyState';
import { notFound } from '../errors';

export interface SubjectsResult {
  realm: string;
  org: string;
  permission: string;
  subjects: (Omit<GrantMatch, 'realm' | 'org'>)[];
  revision: number;
}

/** Who in an org may do this now: every member for whom a check would answer allowed, with the grant. */
export function subjectsWithPermission(
  deps: { state: PolicyState; now: () => number },
  realm: string,
  org: string,
  permission: string,
): SubjectsResult {
  const records = deps.state.realm(realm);
  if (!records) throw notFound('realm', realm);
  if (!records.orgs.has(org)) throw notFound('org', org);
  const now = deps.now();
  const requested = permission.toLowerCase();
  const subjects: SubjectsResult['subjects'] = [];
  for (const m of records.membershipsInOrg(org)) {
    const d = decide(deps.state, { realm, subject: m.user, org, permission: requested }, now);
    if (d.allowed) subjects.push({ user: m.user, role: d.match.role, grant: d.match.grant });
  }
  subjects.sort((a, b) => (a.user < b.user ? -1 : a.user > b.user ? 1 : 0));
  return { realm, org, permission: requested, subjects, revision: deps.state.revision };
}
