import { startHarness, type Harness } from '../support/harness';
import { expectError } from './apiErrors';

let h: Harness;

beforeAll(async () => {
  h = await startHarness({ defaultRealm: 'shop' });
  await h.admin.put('/v1/realms/shop').expect(201);
  await h.admin.put('/v1/realms/shop/roles/clerk', { permissions: ['orders:read', 'orders:write'] }).expect(201);
  await h.admin.put('/v1/realms/shop/roles/manager', { permissions: ['orders:*', 'reports.*.*'] }).expect(201);
  await h.admin.post('/v1/realms/shop/memberships/batch', {
    upsert: [
      { user: 'zed', org: 'store1', roles: ['clerk', 'manager'], permissions: ['Widget:7', 'orders:read'] },
      { user: 'zed', permissions: ['hq:visit'] },
      { user: 'amy', org: 'store1', permissions: ['orders:r*'] },
      { user: 'bob', org: 'store1', permissions: ['orders:read'] },
      { user: 'cat', org: 'store1', roles: ['clerk'] },
      { user: 'dan', org: 'store1', permissions: ['widget:*'] },
      { user: 'eve', org: 'store2', roles: ['manager'] },
      { user: 'fay', org: 'store1', permissions: ['orders:read'], expiresAt: new Date(h.clock.now() + 3_600_000).toISOString() },
      { user: 'gus', permissions: ['orders:read'] },
    ],
  }).expect(200);
  await h.admin.put('/v1/realms/shop/users/gus/memberships/store1', { permissions: ['widget:1'] }).expect(201);
});

afterAll(() => h.close());

const permissionsOf = (user: string, org?: string) =>
  h.admin.get(`/v1/realms/shop/users/${user}/permissions${org ? `?org=${org}` : ''}`);
const subjects = (org: string, permission: string) =>
  h.admin.get(`/v1/realms/shop/orgs/${org}/subjects?permission=${encodeURIComponent(permission)}`);
const users = (body: { subjects: { user: string }[] }) => body.subjects.map((s) => s.user);
const revision = async () => (await h.http().get('/readyz').expect(200)).body.revision as number;

describe('GET /v1/realms/{realm}/users/{user}/permissions', () => {
  test('in an org: roles, direct tags, every tag sorted and de-duplicated, tags by role', async () => {
    const res = await permissionsOf('zed', 'store1').expect(200);
    expect(res.body).toEqual({
      realm: 'shop',
      user: 'zed',
      org: 'store1',
      state: 'active',
      roles: ['clerk', 'manager'],
      direct: ['widget:7', 'orders:read'],
      permissions: ['orders:*', 'orders:read', 'orders:write', 'reports.*.*', 'widget:7'],
      byRole: { clerk: ['orders:read', 'orders:write'], manager: ['orders:*', 'reports.*.*'] },
      expiresAt: null,
      effective: true,
      reason: 'granted',
      revision: await revision(),
    });
  });

  test('without ?org= it answers the realm-level membership only', async () => {
    const res = await permissionsOf('zed').expect(200);
    expect(res.body).toMatchObject({
      org: null,
      roles: [],
      direct: ['hq:visit'],
      permissions: ['hq:visit'],
      byRole: {},
      effective: true,
      reason: 'granted',
    });
  });

  test('a user with no membership there gets empty lists and reason no_membership', async () => {
    expect((await permissionsOf('amy').expect(200)).body).toMatchObject({
      org: null,
      roles: [],
      direct: [],
      permissions: [],
      effective: false,
      reason: 'no_membership',
    });
    expect((await permissionsOf('eve', 'store1').expect(200)).body).toMatchObject({ effective: false, reason: 'no_membership' });
  });

  test('an expiring membership reports its expiresAt', async () => {
    const res = await permissionsOf('fay', 'store1').expect(200);
    expect(res.body).toMatchObject({ effective: true, permissions: ['orders:read'] });
    expect(Date.parse(res.body.expiresAt)).toBeGreaterThan(h.clock.now());
  });

  test('a role change shows up in the effective permissions of every holder', async () => {
    await h.admin.put('/v1/realms/shop/roles/clerk', { permissions: ['orders:read', 'orders:write', 'returns:accept'] }).expect(200);
    expect((await permissionsOf('cat', 'store1').expect(200)).body.permissions).toContain('returns:accept');
    expect((await permissionsOf('zed', 'store1').expect(200)).body.byRole.clerk).toContain('returns:accept');
  });

  test.each([
    ['/v1/realms/nope/users/zed/permissions', 'realm_not_found'],
    ['/v1/realms/shop/users/nobody/permissions', 'user_not_found'],
    ['/v1/realms/shop/users/zed/permissions?org=nowhere', 'org_not_found'],
  ])('GET %s is a 404 %s', async (url, code) => {
    expectError(await h.admin.get(url), 404, code);
  });
});

describe('GET /v1/realms/{realm}/orgs/{org}/subjects', () => {
  test('lists, sorted by user, every member a check would allow, with the grant that allows it', async () => {
    const res = await subjects('store1', 'orders:read').expect(200);
    expect(res.body).toEqual({
      realm: 'shop',
      org: 'store1',
      permission: 'orders:read',
      subjects: [
        { user: 'amy', role: null, grant: 'orders:r*' },
        { user: 'bob', role: null, grant: 'orders:read' },
        { user: 'cat', role: 'clerk', grant: 'orders:read' },
        { user: 'fay', role: null, grant: 'orders:read' },
        expect.objectContaining({ user: 'zed', grant: expect.stringMatching(/^orders:(read|\*)$/) }),
      ],
      revision: await revision(),
    });
  });

  test('wildcards in grants are honoured, and never cross a delimiter', async () => {
    expect(users((await subjects('store1', 'orders:refund').expect(200)).body)).toEqual(['amy', 'zed']);
    expect(users((await subjects('store1', 'orders:write').expect(200)).body)).toEqual(['cat', 'zed']);
    expect(users((await subjects('store1', 'orders:a:b').expect(200)).body)).toEqual([]);
    expect(users((await subjects('store1', 'reports.sales.q1').expect(200)).body)).toEqual(['zed']);
    expect(users((await subjects('store1', 'reports.sales').expect(200)).body)).toEqual([]);
    expect(users((await subjects('store1', 'widget:42').expect(200)).body)).toEqual(['dan']);
    expect(users((await subjects('store1', 'widget:').expect(200)).body)).toEqual([]);
  });

  test('a requested wildcard is literal: only a grant that matches the string itself counts', async () => {
    const res = await subjects('store1', 'widget:*').expect(200);
    expect(res.body.subjects).toEqual([{ user: 'dan', role: null, grant: 'widget:*' }]);
    const unencoded = await h.admin.get('/v1/realms/shop/orgs/store1/subjects?permission=widget:*').expect(200);
    expect(unencoded.body).toEqual(res.body);
  });

  test('the permission is compared in lower case', async () => {
    const res = await subjects('store1', 'WIDGET:7').expect(200);
    expect(res.body.permission).toBe('widget:7');
    expect(users(res.body)).toEqual(['dan', 'zed']);
  });

  test('only members of that org count: realm-level and other-org grants do not', async () => {
    expect(users((await subjects('store2', 'orders:read').expect(200)).body)).toEqual(['eve']);
    expect(users((await subjects('store1', 'hq:visit').expect(200)).body)).toEqual([]);
  });

  test.each([
    ['/v1/realms/nope/orgs/store1/subjects?permission=orders:read', 'realm_not_found'],
    ['/v1/realms/shop/orgs/nowhere/subjects?permission=orders:read', 'org_not_found'],
  ])('GET %s is a 404 %s', async (url, code) => {
    expectError(await h.admin.get(url), 404, code);
  });
});

describe('POST /v1/check/batch', () => {
  test('answers every check in order, at one revision, as the single check would', async () => {
    const checks = [
      { subject: 'dan', org: 'store1', permission: 'widget:12345' },
      { subject: 'dan', org: 'store1', permission: 'widget:' },
      { subject: 'dan', org: 'store1', permission: 'widget:1:2' },
      { subject: 'dan', org: 'store1', permission: 'gadget:1' },
      { subject: 'zed', org: 'store1', permission: 'reports.sales.q1' },
      { subject: 'zed', org: 'store1', permission: 'reports.sales' },
      { subject: 'amy', org: 'store1', permission: 'orders:rw' },
      { subject: 'gus', org: 'store1', permission: 'widget:*' },
      { realm: 'shop', subject: 'gus', permission: 'orders:read' },
      { realm: 'elsewhere', subject: 'gus', permission: 'orders:read' },
      { subject: 'nobody', org: 'store1', permission: 'orders:read' },
      { subject: 'gus', org: 'store9', permission: 'orders:read' },
      { subject: 'eve', org: 'store1', permission: 'orders:read' },
    ];
    const res = await h.http().post('/v1/check/batch').send({ checks }).expect(200);
    const rev = await revision();
    expect(res.body.results.map((r: { allowed: boolean; reason: string }) => [r.allowed, r.reason])).toEqual([
      [true, 'granted'],
      [false, 'no_grant'],
      [false, 'no_grant'],
      [false, 'no_grant'],
      [true, 'granted'],
      [false, 'no_grant'],
      [true, 'granted'],
      [false, 'no_grant'],
      [true, 'granted'],
      [false, 'unknown_realm'],
      [false, 'unknown_user'],
      [false, 'unknown_org'],
      [false, 'no_membership'],
    ]);
    for (const r of res.body.results) expect(r.revision).toBe(rev);
    for (const [i, c] of checks.entries()) {
      const single = await h.http().post('/v1/check').send(c).expect(200);
      expect({ i, result: res.body.results[i] }).toEqual({ i, result: single.body });
    }
  });

  test('results carry the match for allowed checks only', async () => {
    const res = await h
      .http()
      .post('/v1/check/batch')
      .send({
        checks: [
          { subject: 'cat', org: 'store1', permission: 'orders:write' },
          { subject: 'cat', org: 'store1', permission: 'orders:delete' },
        ],
      })
      .expect(200);
    expect(res.body.results[0].match).toEqual({ realm: 'shop', user: 'cat', org: 'store1', role: 'clerk', grant: 'orders:write' });
    expect(res.body.results[1].match).toBeUndefined();
  });
});

describe('disabled users and expired memberships', () => {
  test('a disabled user has effective:false with reason user_disabled and drops out of subjects', async () => {
    await h.admin.put('/v1/realms/shop/users/bob', { state: 'disabled' }).expect(200);
    const res = await permissionsOf('bob', 'store1').expect(200);
    expect(res.body).toMatchObject({
      state: 'disabled',
      roles: [],
      direct: [],
      permissions: [],
      byRole: {},
      effective: false,
      reason: 'user_disabled',
    });
    expect(users((await subjects('store1', 'orders:read').expect(200)).body)).not.toContain('bob');
    expect((await h.http().post('/v1/check').send({ subject: 'bob', org: 'store1', permission: 'orders:read' }).expect(200)).body).toMatchObject({
      allowed: false,
      reason: 'user_disabled',
    });

    await h.admin.put('/v1/realms/shop/users/bob', { state: 'active' }).expect(200);
    expect((await permissionsOf('bob', 'store1').expect(200)).body).toMatchObject({ effective: true, direct: ['orders:read'] });
    expect(users((await subjects('store1', 'orders:read').expect(200)).body)).toContain('bob');
  });

  test('an expired membership drops out of subjects and reads as expired, before any cleanup', async () => {
    expect(users((await subjects('store1', 'orders:read').expect(200)).body)).toContain('fay');
    h.clock.advance(3_600_000);
    expect(users((await subjects('store1', 'orders:read').expect(200)).body)).toEqual(['amy', 'bob', 'cat', 'zed']);
    const res = await permissionsOf('fay', 'store1').expect(200);
    expect(res.body).toMatchObject({ permissions: [], effective: false, reason: 'expired' });
    expect(res.body.expiresAt).not.toBeNull();
    expect((await h.http().post('/v1/check').send({ subject: 'fay', org: 'store1', permission: 'orders:read' }).expect(200)).body).toMatchObject({
      allowed: false,
      reason: 'expired',
    });
  });

  test('a membership expires exactly at expiresAt, to the millisecond', async () => {
    h.clock.freeze();
    const expiresAt = new Date(h.clock.now() + 3_600_000).toISOString();
    await h.admin.put('/v1/realms/shop/users/hal/memberships/store3', { permissions: ['till:open'], expiresAt }).expect(201);
    const probe = async () => ({
      check: (await h.http().post('/v1/check').send({ subject: 'hal', org: 'store3', permission: 'till:open' }).expect(200)).body.reason,
      permissions: (await permissionsOf('hal', 'store3').expect(200)).body.reason,
      subjects: users((await subjects('store3', 'till:open').expect(200)).body),
    });
    h.clock.advance(3_599_999);
    expect(await probe()).toEqual({ check: 'granted', permissions: 'granted', subjects: ['hal'] });
    h.clock.advance(1);
    expect(await probe()).toEqual({ check: 'expired', permissions: 'expired', subjects: [] });
  });
});
