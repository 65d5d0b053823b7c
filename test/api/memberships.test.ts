import { startHarness, type Harness } from '../support/harness';
import { expectError } from './apiErrors';

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
  for (const realm of ['m', 'atom', 'sync']) {
    await h.admin.put(`/v1/realms/${realm}`).expect(201);
    await h.admin.put(`/v1/realms/${realm}/roles/member`, { permissions: ['chat:read', 'chat:post'] }).expect(201);
    await h.admin.put(`/v1/realms/${realm}/roles/owner`, { permissions: ['chat:*', 'billing.*'] }).expect(201);
  }
});

afterAll(() => h.close());

const check = async (realm: string, subject: string, org: string | null, permission: string) =>
  (await h.http().post('/v1/check').send({ realm, subject, org, permission }).expect(200)).body;
const summary = async (realm: string) => (await h.admin.get(`/v1/realms/${realm}`).expect(200)).body;
const memberships = async (realm: string, user: string) =>
  (await h.admin.get(`/v1/realms/${realm}/users/${user}/memberships`).expect(200)).body.memberships;
const keysOf = (list: { user: string; org: string | null }[]) => list.map((m) => `${m.user}@${m.org ?? '-'}`).sort();

describe('single memberships', () => {
  test('PUT in an org creates the user and the org implicitly and answers 201 with the membership', async () => {
    const before = await summary('m');
    const res = await h.admin
      .put('/v1/realms/m/users/ava/memberships/acme', { roles: ['member'], permissions: ['Files:Read'], expiresAt: null })
      .expect(201);
    expect(res.body).toEqual({
      revision: before.revision + 1,
      created: true,
      membership: {
        realm: 'm',
        user: 'ava',
        org: 'acme',
        roles: ['member'],
        permissions: ['files:read'],
        expiresAt: null,
        revision: before.revision + 1,
      },
    });
    expect(await summary('m')).toMatchObject({ orgs: before.orgs + 1, users: before.users + 1, memberships: before.memberships + 1 });
    expect(await check('m', 'ava', 'acme', 'chat:post')).toMatchObject({ allowed: true, match: { org: 'acme', role: 'member' } });
    expect(await check('m', 'ava', 'acme', 'FILES:READ')).toMatchObject({ allowed: true, match: { role: null, grant: 'files:read' } });
  });

  test('PUT of the realm-level membership is separate from org memberships', async () => {
    const res = await h.admin.put('/v1/realms/m/users/ava/membership', { roles: ['owner'] }).expect(201);
    expect(res.body.membership).toMatchObject({ user: 'ava', org: null, roles: ['owner'], permissions: [] });
    expect(await check('m', 'ava', null, 'billing.invoices')).toMatchObject({ allowed: true, match: { org: null, role: 'owner' } });
    expect(await check('m', 'ava', 'acme', 'billing.invoices')).toMatchObject({ allowed: false, reason: 'no_grant' });
    expect(await check('m', 'ava', null, 'files:read')).toMatchObject({ allowed: false, reason: 'no_grant' });
    expect(keysOf(await memberships('m', 'ava'))).toEqual(['ava@-', 'ava@acme']);
    expect((await memberships('m', 'ava'))[0].org).toBeNull();
  });

  test('PUT replaces the whole membership: 200, created:false, old grants gone', async () => {
    const res = await h.admin.put('/v1/realms/m/users/ava/memberships/acme', { permissions: ['files:write'] }).expect(200);
    expect(res.body).toMatchObject({ created: false, membership: { roles: [], permissions: ['files:write'], expiresAt: null } });
    expect(await check('m', 'ava', 'acme', 'chat:post')).toMatchObject({ allowed: false, reason: 'no_grant' });
    expect(await check('m', 'ava', 'acme', 'files:read')).toMatchObject({ allowed: false, reason: 'no_grant' });
    expect(await check('m', 'ava', 'acme', 'files:write')).toMatchObject({ allowed: true });
  });

  test('an unchanged PUT keeps the revision that last wrote the membership', async () => {
    const first = await h.admin.put('/v1/realms/m/users/bo/memberships/acme', { roles: ['member'] }).expect(201);
    await h.admin.put('/v1/realms/m/orgs/other').expect(201);
    const again = await h.admin.put('/v1/realms/m/users/bo/memberships/acme', { roles: ['member'] }).expect(200);
    expect(again.body.created).toBe(false);
    expect(again.body.revision).toBe(first.body.revision + 1);
    expect(again.body.membership.revision).toBe(first.body.revision);
    const stored = (await memberships('m', 'bo'))[0];
    expect(stored.revision).toBe(first.body.revision);
  });

  test('expiresAt is stored normalised to UTC and answered back', async () => {
    const res = await h.admin.put('/v1/realms/m/users/bo/membership', { expiresAt: '2999-06-01T12:00:00+02:00' }).expect(201);
    expect(res.body.membership.expiresAt).toBe('2999-06-01T10:00:00.000Z');
    expect((await memberships('m', 'bo')).find((x: { org: string | null }) => x.org === null).expiresAt).toBe('2999-06-01T10:00:00.000Z');
  });

  test('DELETE of an org membership removes only that one', async () => {
    const before = await summary('m');
    const res = await h.admin.delete('/v1/realms/m/users/ava/memberships/acme').expect(200);
    expect(res.body).toEqual({ revision: before.revision + 1 });
    expect(await check('m', 'ava', 'acme', 'files:write')).toMatchObject({ allowed: false, reason: 'no_membership' });
    expect(await check('m', 'ava', null, 'billing.invoices')).toMatchObject({ allowed: true });
    expect(keysOf(await memberships('m', 'ava'))).toEqual(['ava@-']);
    expect(await summary('m')).toMatchObject({ users: before.users, orgs: before.orgs, memberships: before.memberships - 1 });
    expectError(await h.admin.delete('/v1/realms/m/users/ava/memberships/acme'), 404, 'membership_not_found');
  });

  test('DELETE of the realm-level membership leaves the user in place with none', async () => {
    await h.admin.delete('/v1/realms/m/users/ava/membership').expect(200);
    expect(await check('m', 'ava', null, 'billing.invoices')).toMatchObject({ allowed: false, reason: 'no_membership' });
    expect(await memberships('m', 'ava')).toEqual([]);
    expectError(await h.admin.delete('/v1/realms/m/users/ava/membership'), 404, 'membership_not_found');
  });
});

describe('batches', () => {
  test('upserts and deletes in one change, creating users and orgs, counting unchanged items', async () => {
    await h.admin.put('/v1/realms/m/users/cy/memberships/acme', { roles: ['member'] }).expect(201);
    await h.admin.put('/v1/realms/m/users/di/memberships/acme', { roles: ['member'] }).expect(201);
    const before = await summary('m');
    const res = await h.admin
      .post('/v1/realms/m/memberships/batch', {
        upsert: [
          { user: 'cy', org: 'acme', roles: ['member'] },
          { user: 'ed', org: 'globex', roles: ['owner'] },
          { user: 'ed', permissions: ['profile:edit'] },
          { user: 'cy', org: 'globex', roles: ['member'], permissions: ['extra'] },
        ],
        delete: [
          { user: 'di', org: 'acme' },
          { user: 'nobody', org: 'acme' },
        ],
      })
      .expect(200);
    expect(res.body).toEqual({ revision: before.revision + 1, upserted: 3, deleted: 1, unchanged: 1 });
    expect(await summary('m')).toMatchObject({
      users: before.users + 1,
      orgs: before.orgs + 1,
      memberships: before.memberships + 3 - 1,
    });
    expect(await check('m', 'ed', 'globex', 'billing.plans')).toMatchObject({ allowed: true, match: { role: 'owner' } });
    expect(await check('m', 'ed', null, 'profile:edit')).toMatchObject({ allowed: true });
    expect(await check('m', 'cy', 'globex', 'extra')).toMatchObject({ allowed: true });
    expect(await check('m', 'di', 'acme', 'chat:read')).toMatchObject({ allowed: false, reason: 'no_membership' });
    await h.admin.get('/v1/realms/m/users/nobody/memberships').expect(404);

    const feed = await h.admin.get(`/v1/realms/m/changes?after=${before.revision}`).expect(200);
    expect(new Set(feed.body.events.map((e: { revision: number }) => e.revision))).toEqual(new Set([before.revision + 1]));
  });

  test('a batch where nothing changes answers the current revision', async () => {
    const before = await summary('m');
    const res = await h.admin
      .post('/v1/realms/m/memberships/batch', { upsert: [{ user: 'cy', org: 'acme', roles: ['member'] }], delete: [{ user: 'di', org: 'acme' }] })
      .expect(200);
    expect(res.body).toEqual({ revision: before.revision, upserted: 0, deleted: 0, unchanged: 1 });
  });

  test('org null in a batch item means the realm-level membership', async () => {
    await h.admin.post('/v1/realms/m/memberships/batch', { upsert: [{ user: 'cy', org: null, permissions: ['realm:x'] }] }).expect(200);
    expect(await check('m', 'cy', null, 'realm:x')).toMatchObject({ allowed: true });
    await h.admin.post('/v1/realms/m/memberships/batch', { delete: [{ user: 'cy', org: null }] }).expect(200);
    expect(await check('m', 'cy', null, 'realm:x')).toMatchObject({ allowed: false, reason: 'no_membership' });
  });
});

describe('nothing half-written', () => {
  let baseline: { revision: number; memberships: number; users: number; orgs: number };
  const allowedBefore = async () => {
    expect(await check('atom', 'keep', 'team', 'chat:post')).toMatchObject({ allowed: true, match: { role: 'member' } });
    expect(await check('atom', 'keep', 'team', 'billing.x')).toMatchObject({ allowed: false, reason: 'no_grant' });
    expect(await check('atom', 'gone', 'team', 'chat:read')).toMatchObject({ allowed: true });
  };
  const expectUntouched = async () => {
    expect(await summary('atom')).toEqual(expect.objectContaining(baseline));
    expect(await memberships('atom', 'keep')).toEqual([
      expect.objectContaining({ org: 'team', roles: ['member'], permissions: [], expiresAt: null }),
    ]);
    expect(keysOf(await memberships('atom', 'gone'))).toEqual(['gone@team']);
    for (const user of ['new1', 'new2', 'new3']) expectError(await h.admin.get(`/v1/realms/atom/users/${user}/memberships`), 404, 'user_not_found');
    expect(await check('atom', 'new1', 'team', 'chat:read')).toMatchObject({ allowed: false, reason: 'unknown_user' });
    expect(await check('atom', 'new2', 'fresh-org', 'chat:read')).toMatchObject({ allowed: false, reason: 'unknown_user' });
    const fresh = await h.admin.get('/v1/realms/atom/orgs/fresh-org/subjects?permission=chat:read');
    expectError(fresh, 404, 'org_not_found');
    await allowedBefore();
  };

  beforeAll(async () => {
    await h.admin.put('/v1/realms/atom/users/keep/memberships/team', { roles: ['member'] }).expect(201);
    await h.admin.put('/v1/realms/atom/users/gone/memberships/team', { roles: ['member'] }).expect(201);
    const s = await summary('atom');
    baseline = { revision: s.revision, memberships: s.memberships, users: s.users, orgs: s.orgs };
    await allowedBefore();
  });

  const goodUpserts = [
    { user: 'new1', org: 'team', roles: ['member'] },
    { user: 'keep', org: 'team', roles: ['owner'] },
    { user: 'new2', org: 'fresh-org', permissions: ['a:b'] },
  ];

  test('a batch with one bad tag writes nothing', async () => {
    const res = await h.admin.post('/v1/realms/atom/memberships/batch', {
      upsert: [...goodUpserts, { user: 'new3', org: 'team', permissions: ['ok', 'not ok'] }],
      delete: [{ user: 'gone', org: 'team' }],
    });
    expectError(res, 400, 'invalid_request', 'upsert[3].permissions[1]');
    await expectUntouched();
  });

  test('a batch with one unknown role writes nothing', async () => {
    const res = await h.admin.post('/v1/realms/atom/memberships/batch', {
      upsert: [...goodUpserts, { user: 'new3', org: 'team', roles: ['member', 'ghost'] }],
      delete: [{ user: 'gone', org: 'team' }],
    });
    expectError(res, 422, 'unknown_role', 'upsert[3].roles[1]');
    await expectUntouched();
  });

  test('a batch naming the same user and org twice writes nothing', async () => {
    const res = await h.admin.post('/v1/realms/atom/memberships/batch', {
      upsert: [...goodUpserts, { user: 'new1', org: 'team', permissions: ['x'] }],
    });
    expectError(res, 400, 'invalid_request', 'upsert[3]');
    expect(res.body.error.message).toMatch(/upsert\[0\]/);
    await expectUntouched();
  });

  test('a batch upserting and deleting the same membership writes nothing', async () => {
    const res = await h.admin.post('/v1/realms/atom/memberships/batch', {
      upsert: goodUpserts,
      delete: [{ user: 'gone', org: 'team' }, { user: 'new1', org: 'team' }],
    });
    expectError(res, 400, 'invalid_request', 'delete[1]');
    await expectUntouched();
  });

  test('a batch with an expiry in the past writes nothing', async () => {
    const res = await h.admin.post('/v1/realms/atom/memberships/batch', {
      upsert: [...goodUpserts, { user: 'new3', org: 'team', expiresAt: new Date(h.clock.now() - 1).toISOString() }],
      delete: [{ user: 'gone', org: 'team' }],
    });
    expectError(res, 400, 'invalid_request', 'upsert[3].expiresAt');
    await expectUntouched();
  });

  test('a sync with one unknown role writes nothing, deletes nothing', async () => {
    const res = await h.admin.put('/v1/realms/atom/memberships', {
      memberships: [...goodUpserts, { user: 'new3', org: 'team', roles: ['ghost'] }],
    });
    expectError(res, 422, 'unknown_role', 'memberships[3].roles[0]');
    await expectUntouched();
  });

  test('a sync with one bad tag writes nothing', async () => {
    const res = await h.admin.put('/v1/realms/atom/memberships?org=team', {
      memberships: [{ user: 'new1' }, { user: 'new3', permissions: ['a'.repeat(63)] }],
    });
    expectError(res, 400, 'invalid_request', 'memberships[1].permissions[0]');
    await expectUntouched();
  });

  test('a sync naming the same membership twice writes nothing', async () => {
    const res = await h.admin.put('/v1/realms/atom/memberships?org=team', {
      memberships: [{ user: 'new1' }, { user: 'keep', roles: ['member'] }, { user: 'new1', org: 'team', permissions: ['x'] }],
    });
    expectError(res, 400, 'invalid_request', 'memberships[2]');
    await expectUntouched();
  });

  test('a sync of one org with an item in another org is a 400 and writes nothing', async () => {
    const res = await h.admin.put('/v1/realms/atom/memberships?org=team', {
      memberships: [{ user: 'new1' }, { user: 'new2', org: 'fresh-org' }],
    });
    expectError(res, 400, 'invalid_request', 'memberships[1].org');
    expect(res.body.error.message).toMatch(/team/);
    await expectUntouched();
  });

  test('a sync of one org with a realm-level item (org null) is a 400 and writes nothing', async () => {
    const res = await h.admin.put('/v1/realms/atom/memberships?org=team', {
      memberships: [{ user: 'new1' }, { user: 'new2', org: null }],
    });
    expectError(res, 400, 'invalid_request', 'memberships[1].org');
    await expectUntouched();
  });

  test('a single PUT with an unknown role creates neither user nor org', async () => {
    expectError(await h.admin.put('/v1/realms/atom/users/new1/memberships/fresh-org', { roles: ['ghost'] }), 422, 'unknown_role', 'roles[0]');
    await expectUntouched();
  });
});

describe('sync', () => {
  const put = (user: string, org: string | null, body: object) =>
    h.admin.put(org === null ? `/v1/realms/sync/users/${user}/membership` : `/v1/realms/sync/users/${user}/memberships/${org}`, body);
  const allMemberships = async () => {
    const users = ['a', 'b', 'c', 'd', 'e', 'f', 'g'];
    const found: { user: string; org: string | null; roles: string[]; permissions: string[] }[] = [];
    for (const user of users) {
      const res = await h.admin.get(`/v1/realms/sync/users/${user}/memberships`);
      if (res.status === 200) found.push(...res.body.memberships);
    }
    return found;
  };

  beforeAll(async () => {
    await put('a', 'o1', { roles: ['member'] }).expect(201);
    await put('b', 'o1', { roles: ['member'] }).expect(201);
    await put('c', 'o2', { roles: ['owner'] }).expect(201);
    await put('d', null, { permissions: ['admin:panel'] }).expect(201);
    await put('a', 'o2', { permissions: ['x'] }).expect(201);
  });

  test('a whole-realm sync reconciles to exactly the given set: created, replaced, unchanged, deleted', async () => {
    const before = await summary('sync');
    const res = await h.admin
      .put('/v1/realms/sync/memberships', {
        memberships: [
          { user: 'a', org: 'o1', roles: ['member'] },
          { user: 'b', org: 'o1', roles: ['owner'] },
          { user: 'e', org: 'o3', permissions: ['new:thing'] },
          { user: 'e', org: null, permissions: ['realm:thing'] },
        ],
      })
      .expect(200);
    expect(res.body).toEqual({ revision: before.revision + 1, upserted: 3, deleted: 3, unchanged: 1 });
    expect(keysOf(await allMemberships())).toEqual(['a@o1', 'b@o1', 'e@-', 'e@o3']);
    expect(await check('sync', 'b', 'o1', 'billing.plans')).toMatchObject({ allowed: true, match: { role: 'owner' } });
    expect(await check('sync', 'c', 'o2', 'chat:post')).toMatchObject({ allowed: false, reason: 'no_membership' });
    expect(await check('sync', 'd', null, 'admin:panel')).toMatchObject({ allowed: false, reason: 'no_membership' });
    expect(await check('sync', 'e', 'o3', 'new:thing')).toMatchObject({ allowed: true });
    expect(await summary('sync')).toMatchObject({ memberships: 4 });

    const feed = await h.admin.get(`/v1/realms/sync/changes?after=${before.revision}`).expect(200);
    const deleted = feed.body.events.filter((e: { type: string }) => e.type === 'membership.deleted');
    type Data = { data: { user: string; org: string | null; reason: string } };
    expect(deleted.map(({ data: e }: Data) => `${e.user}@${e.org ?? '-'}:${e.reason}`).sort()).toEqual([
      'a@o2:sync',
      'c@o2:sync',
      'd@-:sync',
    ]);
  });

  test('the same sync again changes nothing and answers the same revision', async () => {
    const before = await summary('sync');
    const res = await h.admin
      .put('/v1/realms/sync/memberships', {
        memberships: [
          { user: 'e', org: null, permissions: ['REALM:THING'] },
          { user: 'e', org: 'o3', permissions: ['new:thing'] },
          { user: 'b', org: 'o1', roles: ['owner'] },
          { user: 'a', org: 'o1', roles: ['member'] },
        ],
      })
      .expect(200);
    expect(res.body).toEqual({ revision: before.revision, upserted: 0, deleted: 0, unchanged: 4 });
  });

  test('an org sync reconciles that org only, taking the org from ?org=', async () => {
    await put('f', 'o4', { permissions: ['stay'] }).expect(201);
    const before = await summary('sync');
    const res = await h.admin
      .put('/v1/realms/sync/memberships?org=o1', {
        memberships: [{ user: 'a', roles: ['member'] }, { user: 'g', org: 'o1', permissions: ['joined'] }],
      })
      .expect(200);
    expect(res.body).toEqual({ revision: before.revision + 1, upserted: 1, deleted: 1, unchanged: 1 });
    expect(keysOf(await allMemberships())).toEqual(['a@o1', 'e@-', 'e@o3', 'f@o4', 'g@o1']);
    expect(await check('sync', 'g', 'o1', 'joined')).toMatchObject({ allowed: true });
    expect(await check('sync', 'b', 'o1', 'chat:read')).toMatchObject({ allowed: false, reason: 'no_membership' });
    expect(await check('sync', 'f', 'o4', 'stay')).toMatchObject({ allowed: true });
    expect(await check('sync', 'e', null, 'realm:thing')).toMatchObject({ allowed: true });
  });

  test('an org sync to an empty list empties the org and leaves the org itself', async () => {
    const res = await h.admin.put('/v1/realms/sync/memberships?org=o1', { memberships: [] }).expect(200);
    expect(res.body).toMatchObject({ upserted: 0, deleted: 2, unchanged: 0 });
    const subjects = await h.admin.get('/v1/realms/sync/orgs/o1/subjects?permission=chat:read').expect(200);
    expect(subjects.body.subjects).toEqual([]);
    expect(keysOf(await allMemberships())).toEqual(['e@-', 'e@o3', 'f@o4']);
  });

  test('an org sync may create the org it names', async () => {
    await h.admin.put('/v1/realms/sync/memberships?org=o9', { memberships: [{ user: 'a', roles: ['member'] }] }).expect(200);
    expect(await check('sync', 'a', 'o9', 'chat:read')).toMatchObject({ allowed: true });
  });

  test('a whole-realm sync to an empty list removes every membership but keeps users, orgs and roles', async () => {
    const before = await summary('sync');
    const res = await h.admin.put('/v1/realms/sync/memberships', { memberships: [] }).expect(200);
    expect(res.body).toEqual({ revision: before.revision + 1, upserted: 0, deleted: before.memberships, unchanged: 0 });
    expect(await summary('sync')).toMatchObject({ memberships: 0, users: before.users, orgs: before.orgs, roles: before.roles });
  });

  test('sync needs its memberships list', async () => {
    expectError(await h.admin.put('/v1/realms/sync/memberships', {}), 400, 'invalid_request', 'memberships');
    expectError(await h.admin.put('/v1/realms/sync/memberships?org=-x', { memberships: [] }), 400, 'invalid_request', 'org');
  });
});

describe('expiry', () => {
  test('an expired membership denies with expired, then is deleted with a membership.deleted event of reason expired', async () => {
    await h.admin.put('/v1/realms/exp').expect(201);
    const expiresAt = new Date(h.clock.now() + 60_000).toISOString();
    await h.admin.put('/v1/realms/exp/users/tmp/memberships/lab', { permissions: ['lab:enter'], expiresAt }).expect(201);
    await h.admin.put('/v1/realms/exp/users/tmp/membership', { permissions: ['lab:badge'] }).expect(201);
    expect(await check('exp', 'tmp', 'lab', 'lab:enter')).toMatchObject({ allowed: true });

    h.clock.advance(60_001);
    expect(await check('exp', 'tmp', 'lab', 'lab:enter')).toMatchObject({ allowed: false, reason: 'expired' });
    expect(await check('exp', 'tmp', null, 'lab:badge')).toMatchObject({ allowed: true });
    const before = await summary('exp');

    await h.restart();
    const feed = await h.admin.get(`/v1/realms/exp/changes?after=${before.revision}`).expect(200);
    expect(feed.body.events).toEqual([
      expect.objectContaining({
        id: `${before.revision + 1}.1`,
        revision: before.revision + 1,
        type: 'membership.deleted',
        data: expect.objectContaining({ user: 'tmp', org: 'lab', permissions: ['lab:enter'], reason: 'expired' }),
      }),
    ]);
    expect(await check('exp', 'tmp', 'lab', 'lab:enter')).toMatchObject({ allowed: false, reason: 'no_membership' });
    expect(keysOf(await memberships('exp', 'tmp'))).toEqual(['tmp@-']);
  });
});
