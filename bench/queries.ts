import type { CheckQuery } from '../src/engine/decide';
import { Random } from './random';
import type { RealmSpec, Workload } from './workload';

/**
 * A realistic mix of checks against a workload: about half aimed at an existing membership and one
 * of its grants (wildcards made concrete), the rest misses: a tag nothing grants, another org, a
 * realm-level check without a realm-level membership, a literal wildcard, unknown user, org or realm.
 */

export type QueryKind =
  | 'granted_tag'
  | 'ungranted_tag'
  | 'other_org'
  | 'realm_level_miss'
  | 'literal_wildcard'
  | 'unknown_user'
  | 'unknown_org'
  | 'unknown_realm';

/** cumulative shares of each kind */
const MIX: [QueryKind, number][] = [
  ['granted_tag', 0.5],
  ['ungranted_tag', 0.62],
  ['other_org', 0.7],
  ['realm_level_miss', 0.76],
  ['literal_wildcard', 0.82],
  ['unknown_user', 0.9],
  ['unknown_org', 0.95],
  ['unknown_realm', 1],
];

export const QUERY_MIX_TEXT =
  '50% an existing membership and one of its grants (each `*` replaced by a random token), 12% an existing membership and a tag nothing grants, ' +
  '8% an existing user in an org it is not a member of, 6% a realm-level check, 6% a literal wildcard (`orders:*`), ' +
  '8% an unknown user, 5% an unknown org, 5% an unknown realm';

const UNGRANTED = ['orders:delete', 'secrets:read', 'app.core.destroy', 'payroll:rw', 'root', 'widget:1:2', 'reports', 'billing:read'];
const LITERAL_WILDCARDS = ['orders:*', 'app.*.read', 'reports.*', 'widget:*', '*', 'doc:*'];

/** Replaces each `*` of a granted tag with a concrete token, so the request is what an app would ask. */
function concrete(random: Random, tag: string): string {
  return tag.replace(/\*/g, () => random.token(random.int(3, 8)));
}

interface Pick {
  realm: RealmSpec;
  membership: RealmSpec['memberships'][number];
}

export function buildQueries(workload: Workload, count: number, seed = 7): { queries: CheckQuery[]; kinds: QueryKind[] } {
  const random = new Random(seed ^ workload.target);
  const realms = workload.realms;
  const roleTags = realms.map((r) => new Map(r.roles.map((role) => [role.name, role.permissions])));
  const anyMembership = (): Pick & { index: number } => {
    const index = random.int(0, realms.length - 1);
    const realm = realms[index];
    return { realm, membership: random.pick(realm.memberships), index };
  };
  const queries: CheckQuery[] = [];
  const kinds: QueryKind[] = [];
  while (queries.length < count) {
    const x = random.next();
    const kind = MIX.find(([, share]) => x < share)![0];
    const { realm, membership, index } = anyMembership();
    const org = membership.org ?? null;
    const q: CheckQuery = { realm: realm.name, subject: membership.user, org, permission: '' };
    switch (kind) {
      case 'granted_tag': {
        const grants = [
          ...(membership.permissions ?? []),
          ...(membership.roles ?? []).flatMap((r) => roleTags[index].get(r) ?? []),
        ];
        if (grants.length === 0) continue;
        q.permission = concrete(random, random.pick(grants));
        break;
      }
      case 'ungranted_tag':
        q.permission = random.pick(UNGRANTED);
        break;
      case 'other_org':
        q.org = random.pick(realm.orgs);
        q.permission = random.pick(realm.roles).permissions[0].replace(/\*/g, 'x');
        break;
      case 'realm_level_miss':
        q.org = null;
        q.permission = concrete(random, random.pick(random.pick(realm.roles).permissions));
        break;
      case 'literal_wildcard':
        q.permission = random.pick(LITERAL_WILDCARDS);
        break;
      case 'unknown_user':
        q.subject = `ghost${random.int(1, 1_000_000)}@${realm.name}.example`;
        q.permission = 'orders:read';
        break;
      case 'unknown_org':
        q.org = `org-x${random.int(1, 1000)}`;
        q.permission = 'orders:read';
        break;
      case 'unknown_realm':
        q.realm = `realm-x${random.int(1, 50)}`;
        q.permission = 'orders:read';
        break;
    }
    queries.push(q);
    kinds.push(kind);
  }
  return { queries, kinds };
}

/** The JSON body of POST /v1/check for a query. */
export function checkBody(q: CheckQuery): Record<string, string> {
  const body: Record<string, string> = { realm: q.realm, subject: q.subject, permission: q.permission };
  if (q.org !== null) body.org = q.org;
  return body;
}
