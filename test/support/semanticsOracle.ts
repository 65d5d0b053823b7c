/**
 * BRIEF's semantics written out directly and independently of the engine (no Casbin, no regular
 * expressions), to compare decisions with.
 */

const DELIMITERS = new Set([':', '.', ';']);

/** In a granted tag `*` is one or more non-delimiter characters; the requested tag is literal. */
export function oracleGrantMatches(requested: string, granted: string): boolean {
  const match = (r: number, g: number): boolean => {
    if (g === granted.length) return r === requested.length;
    if (granted[g] !== '*') return r < requested.length && requested[r] === granted[g] && match(r + 1, g + 1);
    // the wildcard takes at least one character, none of them a delimiter
    for (let end = r + 1; end <= requested.length && !DELIMITERS.has(requested[end - 1]); end += 1) {
      if (match(end, g + 1)) return true;
    }
    return false;
  };
  return match(0, 0);
}

export interface OracleWorld {
  realms: Map<
    string,
    {
      orgs: Set<string>;
      users: Map<string, 'active' | 'disabled'>;
      roles: Map<string, string[]>;
      memberships: { user: string; org: string | null; roles: string[]; permissions: string[]; expiresAt: number | null }[];
    }
  >;
}

export function oracleDecide(
  world: OracleWorld,
  q: { realm: string; subject: string; org: string | null; permission: string },
  now: number,
): { allowed: boolean; reason: string } {
  const realm = world.realms.get(q.realm);
  if (!realm) return { allowed: false, reason: 'unknown_realm' };
  const state = realm.users.get(q.subject);
  if (!state) return { allowed: false, reason: 'unknown_user' };
  if (state === 'disabled') return { allowed: false, reason: 'user_disabled' };
  if (q.org !== null && !realm.orgs.has(q.org)) return { allowed: false, reason: 'unknown_org' };
  const m = realm.memberships.find((x) => x.user === q.subject && x.org === q.org);
  if (!m) return { allowed: false, reason: 'no_membership' };
  if (m.expiresAt !== null && m.expiresAt <= now) return { allowed: false, reason: 'expired' };
  const requested = q.permission.toLowerCase();
  const grants = [...m.permissions, ...m.roles.flatMap((r) => realm.roles.get(r) ?? [])];
  return grants.some((g) => oracleGrantMatches(requested, g.toLowerCase()))
    ? { allowed: true, reason: 'granted' }
    : { allowed: false, reason: 'no_grant' };
}
