import { decide, type CheckQuery } from '../../src/engine/decide';
import { PolicyState } from '../../src/engine/policyState';
import type { Change, Op } from '../../src/engine/records';
import { Random } from '../support/random';
import { describeState } from '../support/stateDigest';

const REALMS = ['acme', 'beta'];
const ORGS = ['eng', 'ops', 'sales'];
const USERS = ['ann', 'bob', 'cid', 'dee', 'eve'];
const ROLES = ['admin', 'viewer'];
const TAGS = ['orders:rw', 'orders:*', 'doc:1', 'doc:*', 'app.*.read', 'x'];

/** A valid random change: its realms exist when named, as the writer guarantees. */
function randomChange(rnd: Random, revision: number, known: Set<string>): Change {
  const ops: Op[] = [];
  const realm = rnd.pick(REALMS);
  if (!known.has(realm)) {
    ops.push({ type: 'realm.upserted', realm });
    known.add(realm);
  }
  const count = 1 + rnd.int(12);
  for (let i = 0; i < count; i += 1) {
    const user = rnd.pick(USERS);
    const org = rnd.chance(0.2) ? null : rnd.pick(ORGS);
    const roll = rnd.int(12);
    if (roll === 0) ops.push({ type: 'user.upserted', realm, user, state: rnd.chance(0.3) ? 'disabled' : 'active' });
    else if (roll === 1) ops.push({ type: 'user.deleted', realm, user });
    else if (roll === 2) ops.push({ type: 'org.upserted', realm, org: rnd.pick(ORGS) });
    else if (roll === 3) ops.push({ type: 'org.deleted', realm, org: rnd.pick(ORGS) });
    else if (roll === 4) ops.push({ type: 'role.upserted', realm, role: rnd.pick(ROLES), permissions: rnd.some(TAGS, 3) });
    else if (roll === 5) ops.push({ type: 'role.deleted', realm, role: rnd.pick(ROLES) });
    else if (roll === 6) ops.push({ type: 'membership.deleted', realm, user, org, reason: 'api' });
    else if (roll === 7 && rnd.chance(0.3)) {
      ops.push({ type: 'realm.deleted', realm }, { type: 'realm.upserted', realm });
    } else {
      ops.push({ type: 'user.upserted', realm, user, state: 'active' });
      if (org !== null) ops.push({ type: 'org.upserted', realm, org });
      const expiresAt = rnd.chance(0.2) ? new Date(Date.UTC(2030, 0, 1)).toISOString() : null;
      ops.push({ type: 'membership.upserted', realm, user, org, roles: rnd.some(ROLES, 2), permissions: rnd.some(TAGS, 3), expiresAt });
    }
  }
  return { revision, realm, ops };
}

function allQueries(): CheckQuery[] {
  const queries: CheckQuery[] = [];
  for (const realm of REALMS) {
    for (const subject of USERS) {
      for (const org of [null, ...ORGS]) {
        for (const permission of ['orders:rw', 'doc:1', 'app.orders.read', 'x', 'orders:*']) queries.push({ realm, subject, org, permission });
      }
    }
  }
  return queries;
}

describe('a large change is applied aside and swapped in', () => {
  test.each([5, 23, 77])('applied aside, it leaves records, rules and decisions exactly as applied in place (seed %i)', async (seed) => {
    const rnd = new Random(seed);
    const aside = new PolicyState(undefined, 0);
    const inPlace = new PolicyState(undefined, Number.POSITIVE_INFINITY);
    const known = new Set<string>();
    const queries = allQueries();
    const now = Date.UTC(2029, 0, 1);
    for (let revision = 1; revision <= 120; revision += 1) {
      const change = randomChange(rnd, revision, known);
      await aside.apply(change);
      await inPlace.apply(change);
      if (revision % 10 === 0) {
        expect(await describeState(aside)).toEqual(await describeState(inPlace));
        expect(queries.map((q) => decide(aside, q, now))).toEqual(queries.map((q) => decide(inPlace, q, now)));
      }
    }
    expect(aside.revision).toBe(120);
  });

  test('checks go on while it is applied, and each sees the whole change or none of it', async () => {
    const USERS_N = 20_000;
    const state = new PolicyState();
    const memberships = (tag: string): Op[] =>
      Array.from({ length: USERS_N }, (_, i): Op => ({ type: 'membership.upserted', realm: 'acme', user: `u${i}`, org: 'eng', roles: [], permissions: [tag], expiresAt: null }));
    await state.apply({
      revision: 1,
      realm: 'acme',
      ops: [
        { type: 'realm.upserted', realm: 'acme' },
        { type: 'org.upserted', realm: 'acme', org: 'eng' },
        ...Array.from({ length: USERS_N }, (_, i): Op => ({ type: 'user.upserted', realm: 'acme', user: `u${i}`, state: 'active' })),
        ...memberships('doc:v1'),
      ],
    });
    // users spread over the whole range, each asked for both tags in one go
    const probed = Array.from({ length: 200 }, (_, i) => `u${i * 100}`);
    const observed: string[] = [];
    let applying = true;
    let longestGapMs = 0;
    let rounds = 0;
    const observe = () => {
      const v1 = probed.map((subject) => decide(state, { realm: 'acme', subject, org: 'eng', permission: 'doc:v1' }, 0).allowed);
      const v2 = probed.map((subject) => decide(state, { realm: 'acme', subject, org: 'eng', permission: 'doc:v2' }, 0).allowed);
      const seen = `${state.revision}:${v1.every(Boolean) && !v2.some(Boolean) ? 'v1' : !v1.some(Boolean) && v2.every(Boolean) ? 'v2' : 'torn'}`;
      if (observed[observed.length - 1] !== seen) observed.push(seen);
    };
    const prober = (async () => {
      let last = performance.now();
      while (applying) {
        observe();
        const at = performance.now();
        longestGapMs = Math.max(longestGapMs, at - last);
        last = at;
        rounds += 1;
        await new Promise((resolve) => setImmediate(resolve));
      }
    })();
    await state.apply({ revision: 2, realm: 'acme', ops: memberships('doc:v2') });
    applying = false;
    await prober;
    observe();
    expect(observed).toEqual(['1:v1', '2:v2']);
    // the checks were answered while the change was being applied, not only before and after
    expect(rounds).toBeGreaterThan(5);
    expect(longestGapMs).toBeLessThan(250);
    expect(state.realm('acme')?.membershipCount).toBe(USERS_N);
    expect([...(state.realm('acme')?.allMemberships() ?? [])].filter((m) => m.permissions.includes('doc:v1'))).toEqual([]);
  });
});
