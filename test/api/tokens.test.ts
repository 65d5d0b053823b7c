import request from 'supertest';
import { hashToken } from '../../src/engine/tokenTable';
import { startHarness, type Harness } from '../support/harness';
import { expectError } from './apiErrors';

/**
 * Realm tokens: created with scopes, the secret shown once and kept only as a hash, listed without
 * it, refused once revoked, expired, or when their realm is gone.
 */
let h: Harness;

beforeAll(async () => {
  h = await startHarness();
  await h.admin.put('/v1/realms/shop').expect(201);
  await h.admin.put('/v1/realms/shop/users/ann/memberships/store1', { permissions: ['orders:rw'] }).expect(201);
});
afterAll(() => h.close());

const bearer = (token: string) => `Bearer ${token}`;
const asToken = (token: string) => ({
  get: (url: string) => request(h.app).get(url).set('Authorization', bearer(token)),
  put: (url: string, body?: object) => request(h.app).put(url).set('Authorization', bearer(token)).send(body),
  post: (url: string, body?: object) => request(h.app).post(url).set('Authorization', bearer(token)).send(body),
  delete: (url: string) => request(h.app).delete(url).set('Authorization', bearer(token)),
});

async function createToken(realm: string, body: object): Promise<{ id: string; token: string }> {
  return (await h.admin.post(`/v1/realms/${realm}/tokens`, body).expect(201)).body;
}

describe('token lifecycle', () => {
  test('creating answers 201 with the secret once: rgt_ and 43 base64url characters; only its SHA-256 is stored', async () => {
    const res = await h.admin.post('/v1/realms/shop/tokens', { name: 'orders service', scopes: ['write', 'check'] }).expect(201);
    expect(res.body).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      name: 'orders service',
      scopes: ['check', 'write'],
      token: expect.stringMatching(/^rgt_[A-Za-z0-9_-]{43}$/),
      createdAt: expect.any(String),
      expiresAt: null,
    });
    const rows = await h.runtime.deps.db.prisma.apiToken.findMany({ where: { id: res.body.id } });
    expect(rows).toHaveLength(1);
    expect(rows[0].hash).toBe(hashToken(res.body.token));
    expect(JSON.stringify(rows)).not.toContain(res.body.token.slice(4));
  });

  test('two tokens never share a secret', async () => {
    const a = await createToken('shop', { name: 'a', scopes: ['read'] });
    const b = await createToken('shop', { name: 'b', scopes: ['read'] });
    expect(a.token).not.toBe(b.token);
    expect(a.id).not.toBe(b.id);
  });

  test('the list and a single token show everything but the secret', async () => {
    const created = await createToken('shop', { name: 'reporting', scopes: ['read'], expiresAt: '2999-01-01T00:00:00Z' });
    const list = await h.admin.get('/v1/realms/shop/tokens').expect(200);
    const listed = list.body.tokens.find((t: { id: string }) => t.id === created.id);
    expect(listed).toEqual({ id: created.id, name: 'reporting', scopes: ['read'], createdAt: expect.any(String), expiresAt: '2999-01-01T00:00:00.000Z' });
    expect(JSON.stringify(list.body)).not.toContain(created.token);
    expect(JSON.stringify(list.body)).not.toContain('rgt_');
    const one = await h.admin.get(`/v1/realms/shop/tokens/${created.id}`).expect(200);
    expect(one.body).toEqual(listed);
  });

  test('a new token works at once, with its scope', async () => {
    const { token } = await createToken('shop', { name: 'reader', scopes: ['read'] });
    await asToken(token).get('/v1/realms/shop/users/ann/permissions?org=store1').expect(200);
    expectError(await asToken(token).put('/v1/realms/shop/orgs/store2'), 403, 'forbidden');
  });

  test('revoking takes effect at once: the next request with it is a 401, and it leaves the list', async () => {
    const { id, token } = await createToken('shop', { name: 'short-lived', scopes: ['write'] });
    await asToken(token).put('/v1/realms/shop/orgs/store3').expect(201);
    const revoked = await h.admin.delete(`/v1/realms/shop/tokens/${id}`).expect(200);
    expect(revoked.body.revision).toBe(h.runtime.deps.state.revision);
    const refused = await asToken(token).put('/v1/realms/shop/orgs/store4');
    expectError(refused, 401, 'unauthorized');
    expect(refused.headers['www-authenticate']).toBe('Bearer');
    expect((await h.admin.get('/v1/realms/shop/tokens').expect(200)).body.tokens.map((t: { id: string }) => t.id)).not.toContain(id);
    expectError(await h.admin.get(`/v1/realms/shop/tokens/${id}`), 404, 'token_not_found');
    expectError(await h.admin.delete(`/v1/realms/shop/tokens/${id}`), 404, 'token_not_found');
  });

  test('a realm token with admin scope manages its realm\'s tokens, even revoking itself', async () => {
    const manager = await createToken('shop', { name: 'manager', scopes: ['admin'] });
    const made = await asToken(manager.token).post('/v1/realms/shop/tokens', { name: 'made by manager', scopes: ['check'] }).expect(201);
    await asToken(manager.token).get('/v1/realms/shop/tokens').expect(200);
    await asToken(manager.token).delete(`/v1/realms/shop/tokens/${made.body.id}`).expect(200);
    await asToken(manager.token).delete(`/v1/realms/shop/tokens/${manager.id}`).expect(200);
    expectError(await asToken(manager.token).get('/v1/realms/shop/tokens'), 401, 'unauthorized');
  });

  test('a write token cannot manage tokens', async () => {
    const { token } = await createToken('shop', { name: 'writer', scopes: ['write'] });
    expectError(await asToken(token).post('/v1/realms/shop/tokens', { name: 'x', scopes: ['admin'] }), 403, 'forbidden');
  });

  test('an expired token is a 401, from expiresAt on', async () => {
    const expiresAt = new Date(h.clock.now() + 60_000).toISOString();
    const { token } = await createToken('shop', { name: 'expiring', scopes: ['read'], expiresAt });
    await asToken(token).get('/v1/realms/shop/users/ann/memberships').expect(200);
    h.clock.advance(60_000);
    const res = await asToken(token).get('/v1/realms/shop/users/ann/memberships');
    expectError(res, 401, 'unauthorized');
    expect(res.body.error.message).toMatch(/expired/);
  });

  test.each([
    [{ name: 'x', scopes: [] }, 'scopes'],
    [{ name: 'x', scopes: ['superuser'] }, 'scopes[0]'],
    [{ name: 'x', scopes: ['read', 'read'] }, 'scopes'],
    [{ scopes: ['read'] }, 'name'],
    [{ name: '', scopes: ['read'] }, 'name'],
    [{ name: 'x', scopes: ['read'], expiresAt: '2001-01-01T00:00:00Z' }, 'expiresAt'],
    [{ name: 'x', scopes: ['read'], expiresAt: 'tomorrow' }, 'expiresAt'],
    [{ name: 'x', scopes: ['read'], token: 'rgt_chosen' }, 'token'],
  ])('%j is a 400 naming %s, and creates nothing', async (body, field) => {
    const before = (await h.admin.get('/v1/realms/shop/tokens').expect(200)).body.tokens.length;
    expectError(await h.admin.post('/v1/realms/shop/tokens', body), 400, 'invalid_request', field);
    expect((await h.admin.get('/v1/realms/shop/tokens').expect(200)).body.tokens).toHaveLength(before);
  });

  test('a token for a realm that does not exist is a 404', async () => {
    expectError(await h.admin.post('/v1/realms/nowhere/tokens', { name: 'x', scopes: ['read'] }), 404, 'realm_not_found');
  });

  test('token changes are no events of the realm and leave the state digest alone', async () => {
    const before = (await h.admin.get('/v1/state').expect(200)).body;
    const changesBefore = (await h.admin.get(`/v1/realms/shop/changes?after=${before.revision}`).expect(200)).body;
    const { id } = await createToken('shop', { name: 'quiet', scopes: ['read'] });
    await h.admin.delete(`/v1/realms/shop/tokens/${id}`).expect(200);
    const after = (await h.admin.get('/v1/state').expect(200)).body;
    expect(after.revision).toBe(before.revision + 2);
    expect(after.digest).toBe(before.digest);
    const changes = (await h.admin.get(`/v1/realms/shop/changes?after=${before.revision}`).expect(200)).body;
    expect(changesBefore.events).toEqual([]);
    expect(changes.events).toEqual([]);
    expect(changes.next).toBe(after.revision);
  });

  test('deleting a realm deletes its tokens: they stay refused when a realm of that name is made again', async () => {
    await h.admin.put('/v1/realms/gone').expect(201);
    const { token } = await createToken('gone', { name: 'doomed', scopes: ['admin'] });
    await asToken(token).get('/v1/realms/gone/tokens').expect(200);
    await h.admin.delete('/v1/realms/gone').expect(200);
    await h.admin.put('/v1/realms/gone').expect(201);
    expectError(await asToken(token).get('/v1/realms/gone/tokens'), 401, 'unauthorized');
    expect((await h.admin.get('/v1/realms/gone/tokens').expect(200)).body.tokens).toEqual([]);
  });

  test('tokens survive a restart: memory is loaded from the hashes', async () => {
    const { token } = await createToken('shop', { name: 'durable', scopes: ['read'] });
    await h.restart();
    await asToken(token).get('/v1/realms/shop/users/ann/memberships').expect(200);
  });
});
