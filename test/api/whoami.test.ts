import { startHarness, TEST_TOKEN, type Harness } from '../support/harness';

/** GET /v1/whoami: who a token acts as, for any token that authenticates. */
let h: Harness;
beforeAll(async () => {
  h = await startHarness();
  await h.admin.put('/v1/realms/acme').expect(201);
});
afterAll(() => h.close());

test('the admin token: every scope, in no realm in particular', async () => {
  const res = await h.admin.get('/v1/whoami').expect(200);
  expect(res.body).toEqual({ kind: 'admin', scopes: ['check', 'read', 'write', 'admin'] });
});

test.each([
  [['check'], ['check']],
  [['read'], ['check', 'read']],
  [['write'], ['check', 'read', 'write']],
  [['check', 'admin'], ['check', 'read', 'write', 'admin']],
])('a realm token with %j: its realm, name, expiry and the scopes it holds (%j)', async (scopes, held) => {
  const expiresAt = new Date(h.clock.now() + 3_600_000).toISOString();
  const created = await h.admin.post('/v1/realms/acme/tokens', { name: 'console test', scopes, expiresAt }).expect(201);
  const res = await h.http().get('/v1/whoami').set('Authorization', `Bearer ${created.body.token}`).expect(200);
  expect(res.body).toEqual({ kind: 'realm', realm: 'acme', scopes: held, tokenId: created.body.id, name: 'console test', expiresAt });
});

test('no token, a wrong token, a revoked token: 401', async () => {
  const none = await h.http().get('/v1/whoami').expect(401);
  expect(none.body.error.code).toBe('unauthorized');
  await h.http().get('/v1/whoami').set('Authorization', `Bearer ${TEST_TOKEN}x`).expect(401);
  const created = await h.admin.post('/v1/realms/acme/tokens', { name: 'gone', scopes: ['read'] }).expect(201);
  await h.admin.delete(`/v1/realms/acme/tokens/${created.body.id}`).expect(200);
  await h.http().get('/v1/whoami').set('Authorization', `Bearer ${created.body.token}`).expect(401);
});

test('only GET', async () => {
  const res = await h.admin.post('/v1/whoami', {}).expect(405);
  expect(res.body.error.code).toBe('method_not_allowed');
});

test('an expired token: 401, from the moment it expires', async () => {
  h.clock.freeze();
  const expiresAt = new Date(h.clock.now() + 60_000).toISOString();
  const created = await h.admin.post('/v1/realms/acme/tokens', { name: 'brief', scopes: ['read'], expiresAt }).expect(201);
  const asToken = () => h.http().get('/v1/whoami').set('Authorization', `Bearer ${created.body.token}`);
  await asToken().expect(200);
  h.clock.advance(60_000);
  const res = await asToken().expect(401);
  expect(res.body).toEqual({ error: { code: 'unauthorized', message: 'bearer token has expired' } });
});

test.each(['Bearer', 'Bearer ', 'Basic dXNlcjpwYXNz', `Bearer ${TEST_TOKEN} extra`, `Token ${TEST_TOKEN}`, 'Bearer a b'])(
  'a malformed Authorization header (%j): a JSON 401 with WWW-Authenticate, naming the scheme and no token',
  async (header) => {
    const res = await h.http().get('/v1/whoami').set('Authorization', header).expect(401);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.headers['www-authenticate']).toBe('Bearer');
    expect(res.body).toEqual({ error: { code: 'unauthorized', message: expect.stringMatching(/Bearer/) } });
    expect(res.text).not.toContain(TEST_TOKEN);
  },
);

test('a realm token learns about itself only: no other token, realm or secret in the answer', async () => {
  await h.admin.put('/v1/realms/other').expect(201);
  const mine = await h.admin.post('/v1/realms/acme/tokens', { name: 'mine', scopes: ['admin'] }).expect(201);
  const theirs = await h.admin.post('/v1/realms/other/tokens', { name: 'theirs', scopes: ['admin'] }).expect(201);
  const res = await h.http().get('/v1/whoami').set('Authorization', `Bearer ${mine.body.token}`).expect(200);
  expect(Object.keys(res.body).sort()).toEqual(['expiresAt', 'kind', 'name', 'realm', 'scopes', 'tokenId']);
  for (const secret of [mine.body.token, theirs.body.token, theirs.body.id, 'other', 'theirs', TEST_TOKEN]) expect(res.text).not.toContain(secret);
});
