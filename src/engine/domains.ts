/** How realms, orgs, users and roles are spelled inside Casbin rules (see policies/model.conf). */

const USER_PREFIX = 'user:';
const ROLE_PREFIX = 'role:';

export const userSubject = (user: string): string => USER_PREFIX + user;
export const roleSubject = (role: string): string => ROLE_PREFIX + role;

/** The domain of a membership: the realm itself for a realm-level one, else "<realm>/<org>". */
export function membershipDomain(realm: string, org: string | null): string {
  return org === null ? realm : `${realm}/${org}`;
}

/** The domain of a role's grants: every domain of the realm. */
export const roleDomain = (realm: string): string => `${realm}/*`;

/** Every domain of a realm other than the realm itself (its orgs and its role domain) starts with this. */
export const realmDomainPrefix = (realm: string): string => `${realm}/`;

export function realmOfDomain(domain: string): string {
  const slash = domain.indexOf('/');
  return slash === -1 ? domain : domain.slice(0, slash);
}

/** domainMatch of the model: equal, or a realm-wide role domain covering the requested one. */
export function domainMatches(requested: string, policy: string): boolean {
  if (requested === policy) return true;
  return policy.endsWith('/*') && policy.slice(0, -2) === realmOfDomain(requested);
}
