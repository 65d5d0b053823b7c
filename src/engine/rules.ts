import { membershipDomain, roleDomain, roleSubject, userSubject } from './domains';
import type { MembershipRecord, RoleRecord } from './records';

/** Casbin rules as stored in casbin_rule: [v0, v1, v2]. */
export type Rule = [string, string, string];

export interface DerivedRules {
  p: Rule[];
  g: Rule[];
}

/** The rules a membership stands for: its direct grants and its role links, in its domain. */
export function rulesForMembership(m: MembershipRecord): DerivedRules {
  const domain = membershipDomain(m.realm, m.org);
  const subject = userSubject(m.user);
  return {
    p: m.permissions.map((tag): Rule => [subject, domain, tag]),
    g: m.roles.map((role): Rule => [subject, roleSubject(role), domain]),
  };
}

/** The rules a role stands for: its grants, valid in every domain of its realm. */
export function rulesForRole(r: RoleRecord): Rule[] {
  const subject = roleSubject(r.name);
  const domain = roleDomain(r.realm);
  return r.permissions.map((tag): Rule => [subject, domain, tag]);
}
