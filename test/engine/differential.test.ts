import { PrismaAdapter } from 'casbin-prisma-adapter';
import type { Enforcer } from 'casbin';
import { decide, type CheckQuery } from '../../src/engine/decide';
import { membershipDomain, userSubject } from '../../src/engine/domains';
import { createEnforcer } from '../../src/engine/enforcer';
import { adapterClient } from '../../src/store/transactionAdapter';
import { putOrg } from '../../src/services/orgs';
import { deleteRealm, putRealm } from '../../src/services/realms';
import { putRole } from '../../src/services/roles';
import { syncMemberships } from '../../src/services/syncMemberships';
import { putUser } from '../../src/services/users';
import { generateRealm, randomTag, type GeneratedRealm } from '../support/generatePolicy';
import { startHarness, type Harness } from '../support/harness';
import { Random } from '../support/random';
import { oracleDecide, type OracleWorld } from '../support/semanticsOracle';

/**
 * Every decision of the service must equal Casbin's own Enforcer.enforce on the same model and the
 * rules as stored (after BRIEF rules 4-5, which lie outside Casbin), and BRIEF's semantics written
 * out independently. Many small generated policies (Casbin's enforce scans every rule, so small
 * policies keep it affordable), over 100,000 queries in all.
 */
const SEEDS = Array.from({ length: 40 }, (_, i) => 11 + 12 * i);
const QUERIES_PER_SEED = 2_600;
const outcomes = new Map<string, number>();
let compared = 0;

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

async function writeRealm(g: GeneratedRealm): Promise<void> {
  const deps = h.runtime.deps;
  await putRealm(deps, g.name);
  for (const r of g.roles) await putRole(deps, g.name, r.name, r.permissions);
  for (const o of g.orgs) await putOrg(deps, g.name, o);
  for (const u of g.users) await putUser(deps, g.name, u.name, u.state);
  await syncMemberships(deps, g.name, {}, g.memberships);
}

function oracleWorld(realms: GeneratedRealm[]): OracleWorld {
  const lower = (tags: string[] = []) => tags.map((t) => t.toLowerCase());
  return {
    realms: new Map(
      realms.map((g) => [
        g.name,
        {
          orgs: new Set(g.orgs),
          users: new Map(g.users.map((u) => [u.name, u.state])),
          roles: new Map(g.roles.map((r) => [r.name, lower(r.permissions)])),
          memberships: g.memberships.map((m) => ({
            user: m.user,
            org: m.org ?? null,
            roles: m.roles ?? [],
            permissions: lower(m.permissions),
            expiresAt: m.expiresAt ? Date.parse(m.expiresAt) : null,
          })),
        },
      ]),
    ),
  };
}

function randomQuery(rnd: Random, realms: GeneratedRealm[]): CheckQuery {
  const g = rnd.pick(realms);
  // half the queries aim at an existing membership, so that grants are reached often
  const aimed = rnd.chance(0.5) && g.memberships.length > 0 ? rnd.pick(g.memberships) : undefined;
  const realm = rnd.chance(0.03) ? 'ghost' : g.name;
  const subject = aimed ? aimed.user : rnd.chance(0.03) ? 'nobody' : rnd.pick(g.users).name;
  const org = aimed ? (aimed.org ?? null) : rnd.chance(0.3) ? null : rnd.chance(0.03) ? 'ghost-org' : rnd.pick(g.orgs);
  let permission: string;
  const r = rnd.next();
  if (r < 0.45) {
    // a grant made concrete: wildcards replaced by words or by delimiters (near misses)
    const own = aimed
      ? [...(aimed.permissions ?? []), ...g.roles.filter((x) => aimed.roles?.includes(x.name)).flatMap((x) => x.permissions)]
      : [];
    const grants = own.length > 0 ? own : [...g.roles.flatMap((x) => x.permissions), ...g.memberships.flatMap((m) => m.permissions ?? [])];
    const source = grants.length > 0 ? rnd.pick(grants) : 'orders:rw';
    permission = source.replace(/\*/g, () => (rnd.chance(0.8) ? rnd.pick(['x', '12345', 'rw', 'r']) : rnd.pick(['', 'a:b', 'a.b'])));
    if (permission === '' || permission.length > 62) permission = 'orders:rw';
  } else if (r < 0.65) {
    permission = randomTag(rnd, true); // a literal '*' in a request
  } else {
    permission = randomTag(rnd, false);
  }
  return { realm, subject, org, permission: permission.toLowerCase() };
}

function casbinDecision(enforcer: Enforcer, world: OracleWorld, q: CheckQuery, now: number) {
  const pre = oracleDecide(world, { ...q, permission: '' }, now);
  // rules 4-5 first (their reasons come before Casbin is asked), then Casbin's own enforce, in its
  // synchronous form (the same matcher over the same rules; a promise per call doubled the test's CPU)
  if (pre.reason !== 'no_grant' && pre.reason !== 'granted') return pre;
  const allowed = enforcer.enforceSync(userSubject(q.subject), membershipDomain(q.realm, q.org), q.permission);
  return { allowed, reason: allowed ? 'granted' : 'no_grant' };
}

describe.each(SEEDS)('differential, seed %i', (seed) => {
  test(`${QUERIES_PER_SEED} generated queries: service = Casbin enforce = BRIEF semantics`, async () => {
    const rnd = new Random(seed);
    const start = h.clock.now();
    // names whose LIKE patterns overlap ('_' is any one character there) must stay apart
    const realms = ['a_b', 'axb', 'a_bc'].map((name) =>
      generateRealm(rnd, `${name}${seed}`, { users: 7, orgs: 3, roles: 4 }, start),
    );
    for (const g of realms) await writeRealm(g);
    // past some expiries, before any cleanup has run: rule 4 must hold on its own
    h.clock.advance(90_000);
    const now = h.clock.now();

    const world = oracleWorld(realms);
    const plain = await createEnforcer(new PrismaAdapter(adapterClient(h.runtime.deps.db.prisma)));

    const mismatches: string[] = [];
    let granted = 0;
    for (let i = 0; i < QUERIES_PER_SEED; i += 1) {
      const q = randomQuery(rnd, realms);
      const service = decide(h.runtime.deps.state, q, now);
      const casbin = casbinDecision(plain, world, q, now);
      const oracle = oracleDecide(world, q, now);
      outcomes.set(service.reason, (outcomes.get(service.reason) ?? 0) + 1);
      compared += 1;
      if (service.allowed) granted += 1;
      if (service.allowed !== casbin.allowed || service.reason !== casbin.reason || service.reason !== oracle.reason) {
        mismatches.push(`${JSON.stringify(q)}: service ${service.reason}, casbin ${casbin.reason}, semantics ${oracle.reason}`);
      }
      if (service.allowed && service.match.grant) {
        // the grant named in the reason must itself allow the request
        const { grant } = service.match;
        if (!oracleDecide({ realms: new Map([['x', { orgs: new Set(), users: new Map([['u', 'active']]), roles: new Map(), memberships: [{ user: 'u', org: null, roles: [], permissions: [grant], expiresAt: null }] }]]) }, { realm: 'x', subject: 'u', org: null, permission: q.permission }, now).allowed) {
          mismatches.push(`${JSON.stringify(q)}: reported grant ${grant} does not allow it`);
        }
      }
    }
    expect(mismatches.slice(0, 10)).toEqual([]);
    expect(granted).toBeGreaterThan(QUERIES_PER_SEED * 0.05);

    // deleting the realms leaves no rule of theirs behind (and keeps the next seed's policy small)
    for (const g of realms) await deleteRealm(h.runtime.deps, g.name);
    const left = await h.runtime.deps.db.prisma.casbinRule.count();
    expect(left).toBe(0);
    expect(h.runtime.deps.state.realms.size).toBe(0);
  });
});

test('the generated policies and queries reached every outcome, over 100,000 comparisons', () => {
  expect(compared).toBeGreaterThanOrEqual(100_000);
  // the generator must reach every outcome, or the comparison proves little
  for (const reason of ['granted', 'no_grant', 'expired', 'user_disabled', 'no_membership', 'unknown_user', 'unknown_org', 'unknown_realm']) {
    expect([reason, (outcomes.get(reason) ?? 0) > 100]).toEqual([reason, true]);
  }
  expect(outcomes.get('granted') ?? 0).toBeGreaterThan(compared * 0.1);
});
