import { startHarness, type Harness } from '../support/harness';
import { expectError } from './apiErrors';

const LIMIT = 1024;
let h: Harness;

beforeAll(async () => {
  h = await startHarness({ maxBodyBytes: LIMIT, defaultRealm: 'acme' });
  await h.admin.put('/v1/realms/acme').expect(201);
  await h.admin.put('/v1/realms/acme/users/alice/memberships/eng', { permissions: ['orders:read'] }).expect(201);
});

afterAll(() => h.close());

/** n tags of 20 characters: about 23 bytes each once in JSON */
const tags = (n: number) => Array.from({ length: n }, (_, i) => `tag:${String(i).padStart(16, '0')}`);

describe('bodies over REALMGATE_MAX_BODY_BYTES are a 413', () => {
  test('a check over the limit is a JSON 413 payload_too_large', async () => {
    const body = { subject: 'alice', org: 'eng', permission: 'orders:read', padding: 'x'.repeat(LIMIT) };
    expectError(await h.http().post('/v1/check').send(body), 413, 'payload_too_large');
  });

  test('a check batch over the limit is a 413', async () => {
    const checks = Array.from({ length: 40 }, () => ({ subject: 'alice', org: 'eng', permission: 'orders:read' }));
    expect(JSON.stringify({ checks }).length).toBeGreaterThan(LIMIT);
    expectError(await h.http().post('/v1/check/batch').send({ checks }), 413, 'payload_too_large');
  });

  test('a body just under the limit is accepted', async () => {
    const checks = Array.from({ length: 10 }, () => ({ subject: 'alice', org: 'eng', permission: 'orders:read' }));
    expect(JSON.stringify({ checks }).length).toBeLessThan(LIMIT);
    const res = await h.http().post('/v1/check/batch').send({ checks }).expect(200);
    expect(res.body.results).toHaveLength(10);
  });

  test.each([
    ['PUT', '/v1/realms/acme/roles/big', { permissions: tags(60) }],
    ['PUT', '/v1/realms/acme/users/bob/memberships/eng', { permissions: tags(60) }],
    ['PUT', '/v1/realms/acme/users/bob/membership', { permissions: tags(60) }],
    ['PUT', '/v1/realms/acme/users/bob', { state: 'active', padding: 'x'.repeat(LIMIT) }],
    ['POST', '/v1/realms/acme/memberships/batch', { upsert: [{ user: 'bob', org: 'eng', permissions: tags(60) }] }],
    ['PUT', '/v1/realms/acme/memberships', { memberships: [{ user: 'bob', org: 'eng', permissions: tags(60) }] }],
  ])('%s %s over the limit is a 413 and writes nothing', async (method, url, body) => {
    const before = (await h.admin.get('/v1/realms/acme').expect(200)).body;
    const res = method === 'PUT' ? await h.admin.put(url, body) : await h.admin.post(url, body);
    expectError(res, 413, 'payload_too_large');
    const after = (await h.admin.get('/v1/realms/acme').expect(200)).body;
    expect(after).toEqual(before);
    expect(after.memberships).toBe(1);
  });
});
