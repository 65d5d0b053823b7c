/**
 * `?dryRun=true` on sync, batch, role put and role delete: who would gain and who would lose which
 * effective tags, with nothing written, and the same 4xx as the write itself.
 */
import { effectivePermissions } from '../../src/engine/effectivePermissions';
import { startHarness, type Harness } from '../support/harness';

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});

afterAll(() => h.close());

type Entry = { user: string; org: string | null; permission: string };
const e = (user: string, org: string | null, permission: string): Entry => ({ user, org, permission });

/** A fresh realm per test: roles, then memberships written in one batch. */
async function realm(name: string, roles: Record<string, string[]>, upsert: object[]): Promise<void> {
  await h.admin.put(`/v1/realms/${name}`).expect(201);
  for (const [role, permissions] of Object.entries(roles)) {
    await h.admin.put(`/v1/realms/${name}/roles/${role}`, { permissions }).expect(201);
  }
  if (upsert.length > 0) await h.admin.post(`/v1/realms/${name}/memberships/batch`, { upsert }).expect(200);
}

const roles = async (name: string) => (await h.admin.get(`/v1/realms/${name}`).expect(200)).body.roles;

/** What must not move when a dry-run answers: the head revision and the state digest. */
async function snapshot(): Promise<{ revision: number; digest: string }> {
  const { revision, digest } = (await h.admin.get('/v1/state').expect(200)).body;
  return { revision, digest };
}

describe('role changes', () => {
  test('redefining a role lists, for every org that holds it, the tags gained and lost', async () => {
    await realm('dr-role', { editor: ['docs:read', 'docs:write'] }, [
      { user: 'ann', org: 'a', roles: ['editor'] },
      { user: 'ann', org: 'b', roles: ['editor'], permissions: ['docs:write'] },
      { user: 'bob', org: 'c', roles: ['editor'] },
      { user: 'bob', roles: ['editor'] },
      { user: 'cy', org: 'a', permissions: ['docs:read'] },
    ]);
    const before = await snapshot();
    const res = await h.admin.put('/v1/realms/dr-role/roles/editor?dryRun=true', { permissions: ['docs:read', 'Docs:Admin'] }).expect(200);
    expect(res.body).toEqual({
      dryRun: true,
      revision: before.revision,
      changes: { created: 0, updated: 1, deleted: 0 },
      effect: {
        // ann keeps docs:write in b: it is also a direct tag there; cy holds no role
        granted: [e('ann', 'a', 'docs:admin'), e('ann', 'b', 'docs:admin'), e('bob', null, 'docs:admin'), e('bob', 'c', 'docs:admin')],
        revoked: [e('ann', 'a', 'docs:write'), e('bob', null, 'docs:write'), e('bob', 'c', 'docs:write')],
        grantedCount: 4,
        revokedCount: 3,
      },
      truncated: false,
    });
    expect(await snapshot()).toEqual(before);
    expect(await roles('dr-role')).toEqual([{ name: 'editor', permissions: ['docs:read', 'docs:write'] }]);
  });

  test('wildcard tags are reported as the tags granted, not expanded', async () => {
    await realm('dr-wild', { ops: ['orders:read', 'orders:write'] }, [{ user: 'ann', org: 'a', roles: ['ops'] }]);
    const res = await h.admin.put('/v1/realms/dr-wild/roles/ops?dryRun=true', { permissions: ['orders:*', 'orders:read'] }).expect(200);
    expect(res.body.effect.granted).toEqual([e('ann', 'a', 'orders:*')]);
    expect(res.body.effect.revoked).toEqual([e('ann', 'a', 'orders:write')]);
  });

  test('a new role nobody holds yet is a created record with no effect', async () => {
    await realm('dr-new', {}, [{ user: 'ann', org: 'a', permissions: ['x'] }]);
    const res = await h.admin.put('/v1/realms/dr-new/roles/fresh?dryRun=true', { permissions: ['y'] }).expect(200);
    expect(res.body.changes).toEqual({ created: 1, updated: 0, deleted: 0 });
    expect(res.body.effect).toEqual({ granted: [], revoked: [], grantedCount: 0, revokedCount: 0 });
    expect(await roles('dr-new')).toEqual([]);
  });

  test('deleting an unheld role previews one deleted record; a held one is the same 409 as the delete', async () => {
    await realm('dr-del', { spare: ['a'], held: ['b'] }, [{ user: 'ann', org: 'a', roles: ['held'] }]);
    const spare = await h.admin.delete('/v1/realms/dr-del/roles/spare?dryRun=true').expect(200);
    expect(spare.body.changes).toEqual({ created: 0, updated: 0, deleted: 1 });
    expect(spare.body.effect.grantedCount + spare.body.effect.revokedCount).toBe(0);
    const dry = await h.admin.delete('/v1/realms/dr-del/roles/held?dryRun=true').expect(409);
    const real = await h.admin.delete('/v1/realms/dr-del/roles/held').expect(409);
    expect(dry.body).toEqual(real.body);
    await h.admin.delete('/v1/realms/dr-del/roles/ghost?dryRun=true').expect(404);
  });
});

describe('sync and batch', () => {
  test('a sync that drops and changes memberships revokes what they granted and grants what is new', async () => {
    await realm('dr-sync', { viewer: ['report.read'] }, [
      { user: 'ann', org: 'a', roles: ['viewer'] },
      { user: 'bob', org: 'a', permissions: ['orders:rw'] },
      { user: 'cy', org: 'b', permissions: ['x'] },
    ]);
    const before = await snapshot();
    const res = await h.admin
      .put('/v1/realms/dr-sync/memberships?dryRun=true', {
        memberships: [
          { user: 'ann', org: 'a', roles: ['viewer'] },
          { user: 'bob', org: 'a', permissions: ['orders:ro'] },
          { user: 'dee', permissions: ['app.admin'] },
        ],
      })
      .expect(200);
    expect(res.body).toEqual({
      dryRun: true,
      revision: before.revision,
      // created: dee's membership and the user dee; updated: bob's; deleted: cy's
      changes: { created: 2, updated: 1, deleted: 1 },
      effect: {
        granted: [e('bob', 'a', 'orders:ro'), e('dee', null, 'app.admin')],
        revoked: [e('bob', 'a', 'orders:rw'), e('cy', 'b', 'x')],
        grantedCount: 2,
        revokedCount: 2,
      },
      truncated: false,
    });
    expect(await snapshot()).toEqual(before);
  });

  test('a sync of one org touches only that org', async () => {
    await realm('dr-org', {}, [
      { user: 'ann', org: 'a', permissions: ['p'] },
      { user: 'ann', org: 'b', permissions: ['p'] },
    ]);
    const res = await h.admin.put('/v1/realms/dr-org/memberships?org=a&dryRun=true', { memberships: [] }).expect(200);
    expect(res.body.effect.revoked).toEqual([e('ann', 'a', 'p')]);
    expect(res.body.changes).toEqual({ created: 0, updated: 0, deleted: 1 });
  });

  test('a batch previews upserts and deletes; a disabled user gains and loses nothing', async () => {
    await realm('dr-batch', { member: ['chat:read'] }, [
      { user: 'ann', org: 'a', permissions: ['p'] },
      { user: 'off', org: 'a', permissions: ['p'] },
    ]);
    await h.admin.put('/v1/realms/dr-batch/users/off', { state: 'disabled' }).expect(200);
    const before = await snapshot();
    const res = await h.admin
      .post('/v1/realms/dr-batch/memberships/batch?dryRun=true', {
        upsert: [
          { user: 'ann', org: 'b', roles: ['member'] },
          { user: 'off', org: 'a', permissions: ['q'] },
        ],
        delete: [{ user: 'ann', org: 'a' }, { user: 'nobody', org: 'a' }],
      })
      .expect(200);
    expect(res.body.changes).toEqual({ created: 2, updated: 1, deleted: 1 }); // org b and ann@b; off@a; ann@a
    expect(res.body.effect).toEqual({
      granted: [e('ann', 'b', 'chat:read')],
      revoked: [e('ann', 'a', 'p')],
      grantedCount: 1,
      revokedCount: 1,
    });
    expect(await snapshot()).toEqual(before);
  });

  test('an expired membership has no effective tags: replacing it grants them anew', async () => {
    await realm('dr-exp', {}, []);
    const expiresAt = new Date(h.clock.now() + 60_000).toISOString();
    await h.admin.put('/v1/realms/dr-exp/users/ann/memberships/a', { permissions: ['p'], expiresAt }).expect(201);
    h.clock.advance(60_000);
    const res = await h.admin.post('/v1/realms/dr-exp/memberships/batch?dryRun=true', { upsert: [{ user: 'ann', org: 'a', permissions: ['p'] }] }).expect(200);
    expect(res.body.effect.granted).toEqual([e('ann', 'a', 'p')]);
    expect(res.body.effect.revoked).toEqual([]);
  });
});

describe('limits', () => {
  test('lists are cut to limit, with full counts and truncated set', async () => {
    const upsert = Array.from({ length: 30 }, (_, i) => ({ user: `u${String(i).padStart(2, '0')}`, org: 'a', roles: ['r'] }));
    await realm('dr-limit', { r: ['old'] }, upsert);
    const res = await h.admin.put('/v1/realms/dr-limit/roles/r?dryRun=true&limit=5', { permissions: ['new'] }).expect(200);
    expect(res.body.effect.granted).toEqual(['u00', 'u01', 'u02', 'u03', 'u04'].map((u) => e(u, 'a', 'new')));
    expect(res.body.effect.revoked).toHaveLength(5);
    expect(res.body.effect.grantedCount).toBe(30);
    expect(res.body.effect.revokedCount).toBe(30);
    expect(res.body.truncated).toBe(true);
    const all = await h.admin.put('/v1/realms/dr-limit/roles/r?dryRun=true', { permissions: ['new'] }).expect(200);
    expect(all.body.effect.granted).toHaveLength(30);
    expect(all.body.truncated).toBe(false);
  });
});

describe('same validation as the write', () => {
  const cases: [string, 'put' | 'post', string, object, number][] = [
    ['sync with a bad tag', 'put', '/v1/realms/dr-val/memberships', { memberships: [{ user: 'a', org: 'o', permissions: ['bad tag'] }] }, 400],
    ['sync naming one membership twice', 'put', '/v1/realms/dr-val/memberships', { memberships: [{ user: 'a' }, { user: 'a' }] }, 400],
    ['sync with an unknown role', 'put', '/v1/realms/dr-val/memberships', { memberships: [{ user: 'a', roles: ['ghost'] }] }, 422],
    ['batch with an expiry in the past', 'post', '/v1/realms/dr-val/memberships/batch', { upsert: [{ user: 'a', expiresAt: '2001-01-01T00:00:00Z' }] }, 400],
    ['batch with an unknown role', 'post', '/v1/realms/dr-val/memberships/batch', { upsert: [{ user: 'a', roles: ['r', 'ghost'] }] }, 422],
    ['batch in an unknown realm', 'post', '/v1/realms/dr-nowhere/memberships/batch', { upsert: [{ user: 'a' }] }, 404],
    ['role with a bad tag', 'put', '/v1/realms/dr-val/roles/r', { permissions: ['a b'] }, 400],
    ['role in an unknown realm', 'put', '/v1/realms/dr-nowhere/roles/r', { permissions: ['a'] }, 404],
  ];

  beforeAll(() => realm('dr-val', { r: ['x'] }, []));

  test.each(cases)('%s: the dry-run answers the write’s own error, and writes nothing', async (_name, method, url, body, status) => {
    const before = await snapshot();
    const dry = await h.admin[method](`${url}?dryRun=true`, body).expect(status);
    expect(await snapshot()).toEqual(before);
    const real = await h.admin[method](url, body).expect(status);
    expect(dry.body).toEqual(real.body);
    expect(await snapshot()).toEqual(before);
  });

  test('dryRun must be a boolean and limit a bounded integer', async () => {
    const bad = await h.admin.put('/v1/realms/dr-val/memberships?dryRun=maybe', { memberships: [] }).expect(400);
    expect(bad.body.error.field).toBe('dryRun');
    await h.admin.put('/v1/realms/dr-val/memberships?dryRun=true&limit=-1', { memberships: [] }).expect(400);
  });

  test('dryRun=false writes as usual', async () => {
    const before = await snapshot();
    const res = await h.admin.put('/v1/realms/dr-val/roles/other?dryRun=false', { permissions: ['y'] }).expect(201);
    expect(res.body.revision).toBe(before.revision + 1);
  });
});

describe('the preview agrees with the write', () => {
  /** Every (user, org, tag) a check would honour now, read from memory. */
  function effective(realm: string): Set<string> {
    const records = h.runtime.deps.state.realm(realm);
    const now = h.clock.now();
    const all = new Set<string>();
    for (const m of records?.allMemberships() ?? []) {
      if (records?.users.get(m.user) !== 'active' || (m.expiresAt !== null && m.expiresAt <= now)) continue;
      for (const tag of effectivePermissions(records, m).permissions) all.add(JSON.stringify(e(m.user, m.org, tag)));
    }
    return all;
  }
  const minus = (a: Set<string>, b: Set<string>): Entry[] => [...a].filter((x) => !b.has(x)).map((x) => JSON.parse(x) as Entry);
  const sorted = (list: Entry[]) => [...list].sort((x, y) => JSON.stringify(x).localeCompare(JSON.stringify(y)));

  test('granted and revoked are exactly what the write then changes, for a sync, a batch and a role change', async () => {
    const upsert = Array.from({ length: 40 }, (_, i) => ({
      user: `u${i % 13}`,
      org: i % 5 === 0 ? null : `o${i % 4}`,
      roles: i % 3 === 0 ? ['a'] : i % 3 === 1 ? ['a', 'b'] : [],
      permissions: [`t:${i % 7}`, ...(i % 4 === 0 ? ['t:*'] : [])],
    }));
    const unique = [...new Map(upsert.map((m) => [`${m.user}@${m.org}`, m])).values()];
    await realm('dr-agree', { a: ['x:1', 'x:*'], b: ['y.z', 't:1'] }, unique);
    await h.admin.put('/v1/realms/dr-agree/users/u3', { state: 'disabled' }).expect(200);
    const writes: ['put' | 'post', string, object][] = [
      ['put', '/v1/realms/dr-agree/memberships', { memberships: unique.filter((_, i) => i % 4 !== 1).map((m, i) => (i % 3 === 0 ? { ...m, roles: ['b'] } : m)) }],
      ['post', '/v1/realms/dr-agree/memberships/batch', { upsert: [{ user: 'u1', org: 'o9', roles: ['a'] }, { user: 'u3', org: 'o9', permissions: ['q'] }], delete: [{ user: 'u2', org: 'o2' }] }],
      ['put', '/v1/realms/dr-agree/roles/a', { permissions: ['x:1', 'y.*', 't:1'] }],
    ];
    for (const [method, url, body] of writes) {
      const before = effective('dr-agree');
      const dry = (await h.admin[method](`${url}?dryRun=true&limit=100000`, body).expect(200)).body;
      await h.admin[method](url, body).expect((res) => expect(res.status).toBeLessThan(300));
      const after = effective('dr-agree');
      expect(sorted(dry.effect.granted)).toEqual(sorted(minus(after, before)));
      expect(sorted(dry.effect.revoked)).toEqual(sorted(minus(before, after)));
      expect(dry.effect.grantedCount + dry.effect.revokedCount).toBeGreaterThan(0);
    }
  });
});

describe('a sidecar that does not serve the realm', () => {
  test('answers 409 realm_not_served rather than a preview it cannot compute', async () => {
    const partial = await startHarness({ env: { REALMGATE_REALMS: 'only-this' } });
    try {
      await partial.admin.put('/v1/realms/elsewhere').expect(201);
      const res = await partial.admin.put('/v1/realms/elsewhere/roles/r?dryRun=true', { permissions: ['a'] }).expect(409);
      expect(res.body.error.code).toBe('realm_not_served');
    } finally {
      await partial.close();
    }
  });
});
