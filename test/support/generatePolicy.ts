import type { MembershipInput } from '../../src/services/membershipInput';
import type { Random } from './random';

/** Tag parts chosen so that wildcards, delimiters and near-misses collide often. */
const WORDS = ['orders', 'widget', 'app', 'read', 'rw', 'r', 'x1', '12345'];
const DELIMS = [':', '.', ';'];

export function randomTag(rnd: Random, wildcards: boolean): string {
  const parts = 1 + rnd.int(3);
  let tag = '';
  for (let i = 0; i < parts; i += 1) {
    if (i > 0) tag += rnd.pick(DELIMS);
    const r = rnd.next();
    if (wildcards && r < 0.25) tag += '*';
    else if (wildcards && r < 0.35) tag += `${rnd.pick(WORDS)}*`;
    else if (wildcards && r < 0.4) tag += `*${rnd.pick(WORDS)}`;
    else if (wildcards && r < 0.45) tag += `${rnd.pick(WORDS)}*${rnd.pick(WORDS)}`;
    else tag += rnd.pick(WORDS);
  }
  return rnd.chance(0.1) ? tag.toUpperCase() : tag;
}

export interface GeneratedRealm {
  name: string;
  orgs: string[];
  users: { name: string; state: 'active' | 'disabled' }[];
  roles: { name: string; permissions: string[] }[];
  memberships: MembershipInput[];
}

/** A realm with roles, org and realm-level memberships, direct and wildcard tags, expiring memberships, disabled users. */
export function generateRealm(rnd: Random, name: string, size: { users: number; orgs: number; roles: number }, now: number): GeneratedRealm {
  const orgs = Array.from({ length: size.orgs }, (_, i) => `org${i}`);
  const users = Array.from({ length: size.users }, (_, i) => ({
    name: `u${i}`,
    state: rnd.chance(0.1) ? ('disabled' as const) : ('active' as const),
  }));
  const roles = Array.from({ length: size.roles }, (_, i) => ({
    name: `role${i}`,
    permissions: Array.from({ length: rnd.int(6) }, () => randomTag(rnd, true)),
  }));
  const memberships: MembershipInput[] = [];
  for (const user of users) {
    for (const org of [null, ...orgs]) {
      if (!rnd.chance(org === null ? 0.5 : 0.35)) continue;
      memberships.push({
        user: user.name,
        org,
        roles: rnd.some(roles.map((r) => r.name), 2),
        permissions: Array.from({ length: rnd.int(4) }, () => randomTag(rnd, true)),
        // some expire soon: the test then moves the clock past them
        expiresAt: rnd.chance(0.1) ? new Date(now + 60_000 + rnd.int(60_000)).toISOString() : null,
      });
    }
  }
  return { name, orgs, users, roles, memberships };
}

/** Every tag of 1 to 4 characters over a small alphabet with a wildcard and two delimiters: 780 of them. */
export function shortTags(): string[] {
  const alphabet = ['a', 'b', '*', ':', '.'];
  const tags: string[] = [];
  const grow = (prefix: string) => {
    if (prefix.length > 0) tags.push(prefix);
    if (prefix.length < 4) for (const c of alphabet) grow(prefix + c);
  };
  grow('');
  return tags;
}
