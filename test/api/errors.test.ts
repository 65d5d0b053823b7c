import { startHarness, TEST_TOKEN, type Harness } from '../support/harness';
import { expectError } from './apiErrors';

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
  await h.admin.put('/v1/realms/acme').expect(201);
  await h.admin.put('/v1/realms/acme/roles/admin', { permissions: ['orders:*'] }).expect(201);
  await h.admin.put('/v1/realms/acme/users/alice/memberships/eng', { roles: ['admin'] }).expect(201);
  await h.admin.put('/v1/realms/acme/users/alice/membership', { permissions: ['billing:read'] }).expect(201);
});

afterAll(() => h.close());

const revisionOf = async (realm: string): Promise<number> => (await h.admin.get(`/v1/realms/${realm}`).expect(200)).body.revision;

describe('malformed and invalid input is a 400 naming the field', () => {
  test.each([
    ['PUT', '/v1/realms/acme/users/bob/membership'],
    ['PUT', '/v1/realms/acme/roles/viewer'],
    ['POST', '/v1/realms/acme/memberships/batch'],
    ['PUT', '/v1/realms/acme/memberships'],
  ])('malformed JSON on %s %s is malformed_json and writes nothing', async (method, url) => {
    const before = await revisionOf('acme');
    const req = method === 'PUT' ? h.admin.put(url) : h.admin.post(url);
    const res = await req.set('Content-Type', 'application/json').send('{"permissions": [');
    expectError(res, 400, 'malformed_json');
    expect(await revisionOf('acme')).toBe(before);
  });

  test('malformed JSON on a check is malformed_json', async () => {
    const res = await h.http().post('/v1/check').set('Content-Type', 'application/json').send('{subject: alice}');
    expectError(res, 400, 'malformed_json');
  });

  test('a bad permission tag names its index: permissions[3]', async () => {
    const res = await h.admin.put('/v1/realms/acme/roles/viewer', { permissions: ['a:1', 'b:2', 'c:3', 'bad tag'] });
    expectError(res, 400, 'invalid_request', 'permissions[3]');
    expect(res.body.error.message).toMatch(/^permissions\[3\] /);
    await h.admin.get('/v1/realms/acme').expect(200).expect((r) => expect(r.body.roles.map((x: { name: string }) => x.name)).toEqual(['admin']));
  });

  test('a tag of 62 characters is accepted and one of 63 is rejected', async () => {
    await h.admin.put('/v1/realms/acme/users/bob/membership', { permissions: ['a'.repeat(62)] }).expect(201);
    const res = await h.admin.put('/v1/realms/acme/users/bob/membership', { permissions: ['ok', 'a'.repeat(63)] });
    expectError(res, 400, 'invalid_request', 'permissions[1]');
    const stored = await h.admin.get('/v1/realms/acme/users/bob/memberships').expect(200);
    expect(stored.body.memberships[0].permissions).toEqual(['a'.repeat(62)]);
  });

  test('an empty tag is rejected', async () => {
    expectError(await h.admin.put('/v1/realms/acme/roles/viewer', { permissions: [''] }), 400, 'invalid_request', 'permissions[0]');
  });

  test('2000 tags are accepted on a role, 2001 are rejected naming the list', async () => {
    const tags = (n: number) => Array.from({ length: n }, (_, i) => `tag:${i}`);
    const ok = await h.admin.put('/v1/realms/acme/roles/many', { permissions: tags(2000) }).expect(201);
    expect(ok.body.permissions).toHaveLength(2000);
    const res = await h.admin.put('/v1/realms/acme/roles/many', { permissions: tags(2001) });
    expectError(res, 400, 'invalid_request', 'permissions');
    expect(res.body.error.message).toMatch(/2000/);
  });

  test('2001 direct tags on a membership are rejected naming the list', async () => {
    const permissions = Array.from({ length: 2001 }, (_, i) => `t${i}`);
    const res = await h.admin.put('/v1/realms/acme/users/carol/memberships/eng', { permissions });
    expectError(res, 400, 'invalid_request', 'permissions');
    await h.admin.get('/v1/realms/acme/users/carol/memberships').expect(404);
  });

  test('an unknown body property is rejected naming it', async () => {
    const res = await h.admin.put('/v1/realms/acme/users/alice/memberships/eng', { roles: ['admin'], rolez: ['x'] });
    expectError(res, 400, 'invalid_request', 'rolez');
  });

  test('an unknown property inside a batch item is rejected', async () => {
    const res = await h.admin.post('/v1/realms/acme/memberships/batch', { upsert: [{ user: 'x', org: 'eng', color: 'red' }] });
    expectError(res, 400, 'invalid_request', 'upsert[0].color');
  });

  test('an unknown property on a check is rejected', async () => {
    const res = await h.http().post('/v1/check').send({ realm: 'acme', subject: 'alice', permission: 'x', extra: 1 });
    expectError(res, 400, 'invalid_request', 'extra');
  });

  test.each([
    ['a space', 'a%20b'],
    ['a leading dash', '-alice'],
    ['a comma', 'a,b'],
    ['129 characters', 'u'.repeat(129)],
  ])('a user id in the path with %s is rejected as field user', async (_label, user) => {
    expectError(await h.admin.put(`/v1/realms/acme/users/${user}`), 400, 'invalid_request', 'user');
    expectError(await h.admin.get(`/v1/realms/acme/users/${user}/permissions`), 400, 'invalid_request', 'user');
  });

  test.each([
    ['PUT', '/v1/realms/-acme', 'realm', null],
    ['PUT', `/v1/realms/${'r'.repeat(64)}`, 'realm', null],
    ['GET', '/v1/realms/-acme', 'realm', null],
    ['DELETE', '/v1/realms/-acme', 'realm', null],
    ['GET', '/v1/realms/-acme/changes', 'realm', null],
    ['PUT', '/v1/realms/acme/orgs/e%20ng', 'org', null],
    ['DELETE', '/v1/realms/acme/orgs/-eng', 'org', null],
    ['DELETE', '/v1/realms/acme/users/-alice', 'user', null],
    ['GET', '/v1/realms/acme/users/-alice/memberships', 'user', null],
    ['PUT', '/v1/realms/acme/roles/_admin', 'role', { permissions: [] }],
    ['DELETE', '/v1/realms/acme/roles/-admin', 'role', null],
    ['PUT', '/v1/realms/acme/users/alice/memberships/-eng', 'org', { permissions: [] }],
    ['DELETE', '/v1/realms/acme/users/alice/memberships/-eng', 'org', null],
    ['PUT', '/v1/realms/acme/users/-alice/membership', 'user', { permissions: [] }],
    ['DELETE', '/v1/realms/acme/users/-alice/membership', 'user', null],
    ['POST', '/v1/realms/-acme/memberships/batch', 'realm', { upsert: [{ user: 'alice' }] }],
    ['PUT', '/v1/realms/-acme/memberships', 'realm', { memberships: [] }],
    ['PUT', '/v1/realms/acme/memberships?org=e%20ng', 'org', { memberships: [] }],
  ])('%s %s, with a bad %s name, is a 400 naming it and writes nothing', async (method, url, field, body) => {
    const before = await revisionOf('acme');
    const res =
      method === 'GET'
        ? await h.admin.get(url)
        : method === 'DELETE'
          ? await h.admin.delete(url)
          : method === 'POST'
            ? await h.admin.post(url, body)
            : body === null
              ? await h.admin.put(url)
              : await h.admin.put(url, body);
    expectError(res, 400, 'invalid_request', field);
    expect(await revisionOf('acme')).toBe(before);
  });

  test.each([
    ['/v1/realms/-acme/users/alice/permissions', 'realm'],
    ['/v1/realms/acme/orgs/-eng/subjects?permission=orders:rw', 'org'],
    ['/v1/realms/-acme/orgs/eng/subjects?permission=orders:rw', 'realm'],
  ])('GET %s is a 400 naming %s', async (url, field) => {
    expectError(await h.admin.get(url), 400, 'invalid_request', field);
  });

  test.each(['tomorrow', '2030-02-30', '2030-13-01T00:00:00Z', '1893456000000'])('expiresAt %s is not a date-time', async (expiresAt) => {
    const res = await h.admin.put('/v1/realms/acme/users/dave/membership', { expiresAt });
    expectError(res, 400, 'invalid_request', 'expiresAt');
    await h.admin.get('/v1/realms/acme/users/dave/memberships').expect(404);
  });

  test('expiresAt in the past, or now, is rejected', async () => {
    const past = new Date(h.clock.now() - 1000).toISOString();
    expectError(await h.admin.put('/v1/realms/acme/users/dave/membership', { expiresAt: past }), 400, 'invalid_request', 'expiresAt');
    const res = await h.admin.post('/v1/realms/acme/memberships/batch', {
      upsert: [{ user: 'dave' }, { user: 'erin', expiresAt: '2001-01-01T00:00:00Z' }],
    });
    expectError(res, 400, 'invalid_request', 'upsert[1].expiresAt');
    await h.admin.get('/v1/realms/acme/users/dave/memberships').expect(404);
  });

  test('a bad user state is rejected naming state', async () => {
    expectError(await h.admin.put('/v1/realms/acme/users/alice', { state: 'banned' }), 400, 'invalid_request', 'state');
  });

  test('a role without its permissions list is rejected', async () => {
    expectError(await h.admin.put('/v1/realms/acme/roles/viewer', {}), 400, 'invalid_request', 'permissions');
  });

  test('an empty membership batch is rejected', async () => {
    expectError(await h.admin.post('/v1/realms/acme/memberships/batch', {}), 400, 'invalid_request');
  });

  test('unknown query parameters are rejected naming them', async () => {
    expectError(await h.admin.get('/v1/realms/acme/changes?since=3'), 400, 'invalid_request', 'since');
    expectError(await h.admin.get('/v1/realms/acme/users/alice/permissions?orgs=eng'), 400, 'invalid_request', 'orgs');
  });

  test.each([
    ['/v1/realms/acme/changes?limit=0', 'limit'],
    ['/v1/realms/acme/changes?limit=1001', 'limit'],
    ['/v1/realms/acme/changes?after=-1', 'after'],
    ['/v1/realms/acme/changes?after=x', 'after'],
    ['/v1/realms/acme/changes?after=1.5', 'after'],
    ['/v1/realms/acme/changes?after=9223372036854775808', 'after'],
    ['/v1/realms/acme/changes?after=1e30', 'after'],
  ])('GET %s is rejected naming %s', async (url, field) => {
    expectError(await h.admin.get(url), 400, 'invalid_request', field);
  });

  test('a path with a malformed percent-encoding is a 400 that names no field', async () => {
    expectError(await h.admin.get('/v1/realms/%E0%A4%A'), 400, 'invalid_request');
    expectError(await h.admin.get('/v1/realms/acme/users/%ZZ/permissions'), 400, 'invalid_request');
  });

  test('a body that is JSON but not an object is a 400', async () => {
    const send = (text: string) => h.admin.put('/v1/realms/acme/roles/viewer').set('Content-Type', 'application/json').send(text);
    expectError(await send('["orders:read"]'), 400, 'invalid_request');
    expectError(await send('null'), 400, 'malformed_json');
    expectError(await send('"orders:read"'), 400, 'malformed_json');
  });

  test('a tag that is not a string is rejected naming it', async () => {
    expectError(await h.admin.put('/v1/realms/acme/roles/viewer', { permissions: ['a', 1] }), 400, 'invalid_request', 'permissions[1]');
  });

  test('the subjects route requires a valid permission', async () => {
    expectError(await h.admin.get('/v1/realms/acme/orgs/eng/subjects'), 400, 'invalid_request', 'permission');
    expectError(await h.admin.get('/v1/realms/acme/orgs/eng/subjects?permission=a%20b'), 400, 'invalid_request', 'permission');
  });

  test('the permissions route rejects a bad org name', async () => {
    expectError(await h.admin.get('/v1/realms/acme/users/alice/permissions?org=-eng'), 400, 'invalid_request', 'org');
  });
});

describe('checks', () => {
  test('a check without realm is a 400 on realm when no default realm is configured', async () => {
    const res = await h.http().post('/v1/check').send({ subject: 'alice', org: 'eng', permission: 'orders:rw' });
    expectError(res, 400, 'invalid_request', 'realm');
  });

  test('a batch check item without realm is a 400 naming the item', async () => {
    const res = await h.http().post('/v1/check/batch').send({
      checks: [
        { realm: 'acme', subject: 'alice', org: 'eng', permission: 'orders:rw' },
        { subject: 'alice', org: 'eng', permission: 'orders:rw' },
      ],
    });
    expectError(res, 400, 'invalid_request', 'checks[1].realm');
  });

  test.each([
    [{ realm: 'acme', org: 'eng', permission: 'orders:rw' }, 'subject'],
    [{ realm: 'acme', subject: 'alice', org: 'eng' }, 'permission'],
    [{ realm: 'acme', subject: 'alice', org: 'eng', permission: 'orders rw' }, 'permission'],
    [{ realm: 'acme', subject: 'alice', org: 'eng', permission: 'x'.repeat(63) }, 'permission'],
    [{ realm: 'acme', subject: 'alice', org: 'e/ng', permission: 'orders:rw' }, 'org'],
    [{ realm: 'ac me', subject: 'alice', org: 'eng', permission: 'orders:rw' }, 'realm'],
    [{ realm: 'acme', subject: 7, org: 'eng', permission: 'orders:rw' }, 'subject'],
  ])('check %j is rejected naming %s', async (body, field) => {
    expectError(await h.http().post('/v1/check').send(body), 400, 'invalid_request', field);
  });

  test('a check batch needs 1 to 1000 checks', async () => {
    const one = { realm: 'acme', subject: 'alice', org: 'eng', permission: 'orders:rw' };
    expectError(await h.http().post('/v1/check/batch').send({ checks: [] }), 400, 'invalid_request', 'checks');
    expectError(await h.http().post('/v1/check/batch').send({}), 400, 'invalid_request', 'checks');
    const over = await h.http().post('/v1/check/batch').send({ checks: Array.from({ length: 1001 }, () => one) });
    expectError(over, 400, 'invalid_request', 'checks');
    const full = await h.http().post('/v1/check/batch').send({ checks: Array.from({ length: 1000 }, () => one) }).expect(200);
    expect(full.body.results).toHaveLength(1000);
    expect(full.body.results.every((r: { allowed: boolean }) => r.allowed)).toBe(true);
  });

  test('a bad item inside a check batch names its index', async () => {
    const res = await h.http().post('/v1/check/batch').send({
      checks: [
        { realm: 'acme', subject: 'alice', permission: 'a' },
        { realm: 'acme', subject: 'alice', permission: 'a' },
        { realm: 'acme', subject: 'alice', permission: 'a b' },
      ],
    });
    expectError(res, 400, 'invalid_request', 'checks[2].permission');
  });

  test('a write that needs a body and sent none at all is a 400, not a 415', async () => {
    const before = await revisionOf('acme');
    const res = await h.http().put('/v1/realms/acme/roles/empty').set('Authorization', `Bearer ${TEST_TOKEN}`);
    expectError(res, 400, 'invalid_request');
    expect(res.body.error.message).toMatch(/body is required/);
    expect(await revisionOf('acme')).toBe(before);
  });

  test('a check body that is not JSON is a JSON 415', async () => {
    const res = await h.http().post('/v1/check').set('Content-Type', 'text/plain').send('subject=alice');
    expectError(res, 415, 'unsupported_media_type');
  });
});

describe('management needs the bearer token', () => {
  const families: [string, string, string, object | null][] = [
    ['realms', 'PUT', '/v1/realms/acme', null],
    ['realms', 'GET', '/v1/realms/acme', null],
    ['realms', 'DELETE', '/v1/realms/acme', null],
    ['changes', 'GET', '/v1/realms/acme/changes', null],
    ['orgs', 'PUT', '/v1/realms/acme/orgs/eng', null],
    ['orgs', 'DELETE', '/v1/realms/acme/orgs/eng', null],
    ['users', 'PUT', '/v1/realms/acme/users/alice', { state: 'disabled' }],
    ['users', 'DELETE', '/v1/realms/acme/users/alice', null],
    ['users', 'GET', '/v1/realms/acme/users/alice/memberships', null],
    ['roles', 'PUT', '/v1/realms/acme/roles/admin', { permissions: [] }],
    ['roles', 'DELETE', '/v1/realms/acme/roles/admin', null],
    ['memberships', 'PUT', '/v1/realms/acme/users/alice/memberships/eng', { permissions: [] }],
    ['memberships', 'DELETE', '/v1/realms/acme/users/alice/memberships/eng', null],
    ['memberships', 'PUT', '/v1/realms/acme/users/alice/membership', { permissions: [] }],
    ['memberships', 'DELETE', '/v1/realms/acme/users/alice/membership', null],
    ['memberships', 'POST', '/v1/realms/acme/memberships/batch', { delete: [{ user: 'alice', org: 'eng' }] }],
    ['memberships', 'PUT', '/v1/realms/acme/memberships', { memberships: [] }],
  ];

  const send = (method: string, url: string, body: object | null, authorization?: string) => {
    const agent = h.http();
    let req = method === 'PUT' ? agent.put(url) : method === 'POST' ? agent.post(url) : method === 'DELETE' ? agent.delete(url) : agent.get(url);
    if (authorization !== undefined) req = req.set('Authorization', authorization);
    return body === null ? req : req.send(body);
  };

  test.each(families)('%s: %s %s without a token is a 401 with WWW-Authenticate', async (_family, method, url, body) => {
    const before = await revisionOf('acme');
    const res = await send(method, url, body);
    expectError(res, 401, 'unauthorized');
    expect(res.headers['www-authenticate']).toBe('Bearer');
    expect(await revisionOf('acme')).toBe(before);
  });

  test.each(families)('%s: %s %s with an unknown token is a 401 and writes nothing', async (_family, method, url, body) => {
    const before = await revisionOf('acme');
    const res = await send(method, url, body, 'Bearer not-the-admin-token-at-all');
    expectError(res, 401, 'unauthorized');
    expect(res.headers['www-authenticate']).toBe('Bearer');
    expect(await revisionOf('acme')).toBe(before);
  });

  test('another scheme than Bearer is a 401', async () => {
    const res = await send('GET', '/v1/realms/acme', null, `Basic ${Buffer.from(`admin:${TEST_TOKEN}`).toString('base64')}`);
    expectError(res, 401, 'unauthorized');
    expect(res.headers['www-authenticate']).toBe('Bearer');
  });

  test('the token is accepted whatever the case of "Bearer"', async () => {
    await send('GET', '/v1/realms/acme', null, `bearer ${TEST_TOKEN}`).expect(200);
  });

  test('a prefix of the token is a 401', async () => {
    expectError(await send('GET', '/v1/realms/acme', null, `Bearer ${TEST_TOKEN.slice(0, -1)}`), 401, 'unauthorized');
  });

  test('checks and probes need no token; derived reads and /metrics do', async () => {
    await h.http().post('/v1/check').send({ realm: 'acme', subject: 'alice', org: 'eng', permission: 'orders:rw' }).expect(200);
    await h.http().get('/healthz').expect(200);
    await h.http().get('/readyz').expect(200);
    expectError(await h.http().get('/v1/realms/acme/users/alice/permissions'), 401, 'unauthorized');
    expectError(await h.http().get('/v1/realms/acme/orgs/eng/subjects?permission=orders:rw'), 401, 'unauthorized');
    expectError(await h.http().get('/metrics'), 401, 'unauthorized');
  });
});

describe('unknown things are 404s on management and read routes', () => {
  test.each([
    ['GET', '/v1/realms/nope', 'realm_not_found'],
    ['DELETE', '/v1/realms/nope', 'realm_not_found'],
    ['GET', '/v1/realms/nope/changes', 'realm_not_found'],
    ['PUT', '/v1/realms/nope/orgs/eng', 'realm_not_found'],
    ['DELETE', '/v1/realms/nope/orgs/eng', 'realm_not_found'],
    ['DELETE', '/v1/realms/acme/orgs/nope', 'org_not_found'],
    ['PUT', '/v1/realms/nope/users/alice', 'realm_not_found'],
    ['DELETE', '/v1/realms/nope/users/alice', 'realm_not_found'],
    ['DELETE', '/v1/realms/acme/users/nobody', 'user_not_found'],
    ['GET', '/v1/realms/nope/users/alice/memberships', 'realm_not_found'],
    ['GET', '/v1/realms/acme/users/nobody/memberships', 'user_not_found'],
    ['PUT', '/v1/realms/nope/roles/admin', 'realm_not_found'],
    ['DELETE', '/v1/realms/nope/roles/admin', 'realm_not_found'],
    ['DELETE', '/v1/realms/acme/roles/nope', 'role_not_found'],
    ['PUT', '/v1/realms/nope/users/alice/memberships/eng', 'realm_not_found'],
    ['DELETE', '/v1/realms/nope/users/alice/memberships/eng', 'realm_not_found'],
    ['DELETE', '/v1/realms/acme/users/alice/memberships/sales', 'membership_not_found'],
    ['DELETE', '/v1/realms/acme/users/nobody/memberships/eng', 'membership_not_found'],
    ['PUT', '/v1/realms/nope/users/alice/membership', 'realm_not_found'],
    ['DELETE', '/v1/realms/nope/users/alice/membership', 'realm_not_found'],
    ['DELETE', '/v1/realms/acme/users/nobody/membership', 'membership_not_found'],
    ['POST', '/v1/realms/nope/memberships/batch', 'realm_not_found'],
    ['PUT', '/v1/realms/nope/memberships', 'realm_not_found'],
  ])('%s %s is a 404 %s', async (method, url, code) => {
    const bodies: Record<string, object> = {
      POST: { upsert: [{ user: 'alice', org: 'eng' }] },
      PUT: url.endsWith('/memberships') ? { memberships: [{ user: 'alice', org: 'eng' }] } : url.includes('/roles/') ? { permissions: ['a'] } : {},
    };
    const before = await revisionOf('acme');
    const req = method === 'PUT' ? h.admin.put(url, bodies.PUT) : method === 'POST' ? h.admin.post(url, bodies.POST) : method === 'DELETE' ? h.admin.delete(url) : h.admin.get(url);
    const res = await req;
    expectError(res, 404, code);
    expect(await revisionOf('acme')).toBe(before);
    await h.admin.get('/v1/realms/nope').expect(404);
  });

  test.each([
    ['/v1/realms/nope/users/alice/permissions', 'realm_not_found'],
    ['/v1/realms/acme/users/nobody/permissions', 'user_not_found'],
    ['/v1/realms/acme/users/alice/permissions?org=nope', 'org_not_found'],
    ['/v1/realms/nope/orgs/eng/subjects?permission=orders:rw', 'realm_not_found'],
    ['/v1/realms/acme/orgs/nope/subjects?permission=orders:rw', 'org_not_found'],
  ])('GET %s is a 404 %s', async (url, code) => {
    expectError(await h.admin.get(url), 404, code);
  });

  test.each([
    ['GET', '/'],
    ['GET', '/v1'],
    ['GET', '/v2/check'],
    ['GET', '/v1/realms/acme/teams'],
    ['GET', '/v1/realms/acme/users/alice/groups'],
    ['POST', '/v1/checks'],
  ])('%s %s, a route that does not exist, is a JSON 404', async (method, url) => {
    const res = method === 'POST' ? await h.http().post(url).send({}) : await h.admin.get(url);
    expectError(res, 404, 'not_found');
  });

  test('a known path with a method it does not have is a JSON 405', async () => {
    expectError(await h.admin.post('/v1/realms/acme', {}), 405, 'method_not_allowed');
    expectError(await h.http().get('/v1/check'), 405, 'method_not_allowed');
  });
});

describe('conflicts and unprocessable memberships', () => {
  test('deleting a role still held is a 409 role_in_use with the count, and keeps the role', async () => {
    const res = await h.admin.delete('/v1/realms/acme/roles/admin');
    expectError(res, 409, 'role_in_use');
    expect(res.body.error.memberships).toBe(1);
    expect((await h.http().post('/v1/check').send({ realm: 'acme', subject: 'alice', org: 'eng', permission: 'orders:rw' })).body.allowed).toBe(
      true,
    );
    const realm = await h.admin.get('/v1/realms/acme').expect(200);
    expect(realm.body.roles).toContainEqual({ name: 'admin', permissions: ['orders:*'] });
  });

  test('once no membership holds it, the role can be deleted', async () => {
    await h.admin.put('/v1/realms/acme/roles/temp', { permissions: ['x'] }).expect(201);
    await h.admin.put('/v1/realms/acme/users/frank/memberships/eng', { roles: ['temp'] }).expect(201);
    expectError(await h.admin.delete('/v1/realms/acme/roles/temp'), 409, 'role_in_use');
    await h.admin.put('/v1/realms/acme/users/frank/memberships/eng', { roles: [] }).expect(200);
    await h.admin.delete('/v1/realms/acme/roles/temp').expect(200);
    expectError(await h.admin.delete('/v1/realms/acme/roles/temp'), 404, 'role_not_found');
  });

  test('a membership naming a role that does not exist is a 422 on roles[i]', async () => {
    const before = await revisionOf('acme');
    const res = await h.admin.put('/v1/realms/acme/users/gina/memberships/eng', { roles: ['admin', 'ghost'] });
    expectError(res, 422, 'unknown_role', 'roles[1]');
    expect(res.body.error.message).toMatch(/ghost/);
    expectError(await h.admin.put('/v1/realms/acme/users/gina/membership', { roles: ['ghost'] }), 422, 'unknown_role', 'roles[0]');
    expect(await revisionOf('acme')).toBe(before);
    await h.admin.get('/v1/realms/acme/users/gina/memberships').expect(404);
  });

  test('the 422 names the unknown role where it stood in the request, duplicates included', async () => {
    const res = await h.admin.put('/v1/realms/acme/users/gina/memberships/eng', { roles: ['admin', 'admin', 'ghost'] });
    expectError(res, 422, 'unknown_role', 'roles[2]');
  });

  test('a batch item naming a role that does not exist is a 422 on upsert[i].roles[j]', async () => {
    const res = await h.admin.post('/v1/realms/acme/memberships/batch', {
      upsert: [{ user: 'gina', org: 'eng' }, { user: 'hal', org: 'eng', roles: ['admin'] }, { user: 'ivy', org: 'eng', roles: ['ghost'] }],
    });
    expectError(res, 422, 'unknown_role', 'upsert[2].roles[0]');
  });

  test('a sync item naming a role that does not exist is a 422 on memberships[i].roles[j]', async () => {
    const res = await h.admin.put('/v1/realms/acme/memberships?org=eng', {
      memberships: [{ user: 'alice', roles: ['admin'] }, { user: 'ivy', roles: ['admin', 'ghost'] }],
    });
    expectError(res, 422, 'unknown_role', 'memberships[1].roles[1]');
    expect((await h.admin.get('/v1/realms/acme/users/frank/memberships').expect(200)).body.memberships).toHaveLength(1);
  });

  test('roles are realm-wide: a role of another realm is unknown here', async () => {
    await h.admin.put('/v1/realms/other').expect(201);
    await h.admin.put('/v1/realms/other/roles/auditor', { permissions: ['audit:read'] }).expect(201);
    expectError(await h.admin.put('/v1/realms/acme/users/gina/memberships/eng', { roles: ['auditor'] }), 422, 'unknown_role', 'roles[0]');
  });
});
