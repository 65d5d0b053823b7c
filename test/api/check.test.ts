import { startHarness, type Harness } from '../support/harness';

let h: Harness;

beforeAll(async () => {
  h = await startHarness({ defaultRealm: 'acme' });
  await h.admin.put('/v1/realms/acme').expect(201);
  await h.admin.put('/v1/realms/acme/roles/admin', { permissions: ['orders:*', 'reports.read'] }).expect(201);
  await h.admin.put('/v1/realms/acme/users/alice/memberships/eng', { roles: ['admin'], permissions: ['Widget:1'] }).expect(201);
  await h.admin.put('/v1/realms/acme/users/alice/membership', { permissions: ['billing:read'] }).expect(201);
});

afterAll(() => h.close());

const check = (body: object) => h.http().post('/v1/check').send(body);

describe('POST /v1/check', () => {
  test('allows through a role and names membership, role and grant', async () => {
    const res = await check({ realm: 'acme', subject: 'alice', org: 'eng', permission: 'orders:rw' }).expect(200);
    expect(res.body).toEqual({
      allowed: true,
      reason: 'granted',
      match: { realm: 'acme', user: 'alice', org: 'eng', role: 'admin', grant: 'orders:*' },
      revision: h.runtime.deps.state.revision,
    });
  });

  test('allows through a direct grant, compared in lower case', async () => {
    const res = await check({ subject: 'alice', org: 'eng', permission: 'WIDGET:1' }).expect(200);
    expect(res.body.allowed).toBe(true);
    expect(res.body.match).toMatchObject({ role: null, grant: 'widget:1' });
  });

  test('realm defaults to REALMGATE_DEFAULT_REALM', async () => {
    const res = await check({ subject: 'alice', org: 'eng', permission: 'reports.read' }).expect(200);
    expect(res.body.allowed).toBe(true);
  });

  test('an org check does not see realm-level grants, and the reverse', async () => {
    expect((await check({ subject: 'alice', org: 'eng', permission: 'billing:read' })).body).toMatchObject({
      allowed: false,
      reason: 'no_grant',
    });
    expect((await check({ subject: 'alice', permission: 'orders:rw' })).body).toMatchObject({ allowed: false, reason: 'no_grant' });
    expect((await check({ subject: 'alice', org: null, permission: 'billing:read' })).body.allowed).toBe(true);
  });

  test.each([
    [{ realm: 'nope', subject: 'alice', org: 'eng', permission: 'orders:rw' }, 'unknown_realm'],
    [{ subject: 'bob', org: 'eng', permission: 'orders:rw' }, 'unknown_user'],
    [{ subject: 'alice', org: 'sales', permission: 'orders:rw' }, 'unknown_org'],
    [{ subject: 'alice', org: 'eng', permission: 'gadget:1' }, 'no_grant'],
  ])('denies %j with %s', async (body, reason) => {
    const res = await check(body).expect(200);
    expect(res.body).toMatchObject({ allowed: false, reason });
    expect(res.body.match).toBeUndefined();
  });
});
