import express from 'express';
import request from 'supertest';
import { Authenticator } from '../../src/http/bearerAuth';
import { checkGate } from '../../src/http/checkGate';
import { errorHandler } from '../../src/http/errorHandler';
import { Metrics } from '../../src/http/metrics';
import { checkRoutes } from '../../src/routes/check';
import { startHarness, TEST_TOKEN, type Harness } from '../support/harness';
import { expectError } from './apiErrors';

/**
 * REALMGATE_CHECK_AUTH: `none` leaves checks open (on loopback); `token` wants the admin token or
 * a realm token with the check scope, on the fast path ahead of the validator and on the
 * validator's path alike. A realm token checks only its own realm, and is the default realm of a
 * check that names none.
 */
const check = { realm: 'alpha', subject: 'ann', org: 'store1', permission: 'orders:rw' };

async function seed(h: Harness): Promise<Record<string, string>> {
  const tokens: Record<string, string> = {};
  for (const realm of ['alpha', 'beta']) {
    await h.admin.put(`/v1/realms/${realm}`).expect(201);
    await h.admin.put(`/v1/realms/${realm}/users/ann/memberships/store1`, { permissions: ['orders:rw'] }).expect(201);
    tokens[realm] = (await h.admin.post(`/v1/realms/${realm}/tokens`, { name: 'app', scopes: ['check'] }).expect(201)).body.token;
  }
  return tokens;
}

describe('REALMGATE_CHECK_AUTH=none (the default)', () => {
  let h: Harness;
  let tokens: Record<string, string>;
  beforeAll(async () => {
    h = await startHarness({ defaultRealm: 'beta' });
    tokens = await seed(h);
  });
  afterAll(() => h.close());

  test('checks need no token, and a token sent along changes nothing (not even the default realm)', async () => {
    await h.http().post('/v1/check').send(check).expect(200);
    await h.http().post('/v1/check/batch').send({ checks: [check] }).expect(200);
    const res = await h.http().post('/v1/check').set('Authorization', `Bearer ${tokens.alpha}`).send({ ...check, realm: undefined }).expect(200);
    expect(res.body.match?.realm).toBe('beta');
    await h.http().post('/v1/check').set('Authorization', 'Bearer rgt_unknown').send(check).expect(200);
  });
});

describe('REALMGATE_CHECK_AUTH=token', () => {
  let h: Harness;
  let tokens: Record<string, string>;
  beforeAll(async () => {
    h = await startHarness({ defaultRealm: 'beta', env: { REALMGATE_CHECK_AUTH: 'token' } });
    tokens = await seed(h);
  });
  afterAll(() => h.close());

  const post = (url: string, body: object, token?: string) => {
    const req = h.http().post(url).send(body);
    return token === undefined ? req : req.set('Authorization', `Bearer ${token}`);
  };

  test('no token is a 401 with WWW-Authenticate, on a conforming body (fast path) and a malformed one (validator path)', async () => {
    for (const body of [check, { ...check, extra: true }, { checks: [check] }]) {
      for (const url of ['/v1/check', '/v1/check/batch']) {
        const res = await post(url, body);
        expectError(res, 401, 'unauthorized');
        expect(res.headers['www-authenticate']).toBe('Bearer');
      }
    }
  });

  test('an unknown token is a 401; a malformed body with a good token is then the 400 it always was', async () => {
    expectError(await post('/v1/check', check, 'rgt_unknown'), 401, 'unauthorized');
    expectError(await post('/v1/check', { ...check, permission: 'bad tag' }, tokens.alpha), 400, 'invalid_request', 'permission');
  });

  test('the admin token checks any realm', async () => {
    await post('/v1/check', { ...check, realm: 'beta' }, TEST_TOKEN).expect(200);
    await post('/v1/check/batch', { checks: [check, { ...check, realm: 'beta' }] }, TEST_TOKEN).expect(200);
  });

  test('a realm token checks its realm; a check without a realm is in the token\'s realm, not the default one', async () => {
    expect((await post('/v1/check', check, tokens.alpha).expect(200)).body).toMatchObject({ allowed: true, match: { realm: 'alpha' } });
    const unnamed = await post('/v1/check', { ...check, realm: undefined }, tokens.alpha).expect(200);
    expect(unnamed.body.match.realm).toBe('alpha');
    const batch = await post('/v1/check/batch', { checks: [check, { ...check, realm: undefined }] }, tokens.alpha).expect(200);
    expect(batch.body.results.map((r: { match: { realm: string } }) => r.match.realm)).toEqual(['alpha', 'alpha']);
  });

  test('naming another realm is a 403; in a batch, one such check refuses the whole request', async () => {
    expectError(await post('/v1/check', { ...check, realm: 'beta' }, tokens.alpha), 403, 'forbidden', 'realm');
    expectError(await post('/v1/check/batch', { checks: [check, { ...check, realm: 'beta' }] }, tokens.alpha), 403, 'forbidden', 'checks[1].realm');
  });

  test('a revoked token is refused at the next check, though it was verified (and remembered) before', async () => {
    const made = await h.admin.post('/v1/realms/alpha/tokens', { name: 'brief', scopes: ['check'] }).expect(201);
    await post('/v1/check', check, made.body.token).expect(200);
    await post('/v1/check', check, made.body.token).expect(200);
    await h.admin.delete(`/v1/realms/alpha/tokens/${made.body.id}`).expect(200);
    expectError(await post('/v1/check', check, made.body.token), 401, 'unauthorized');
  });

  test('behind the validator too (the route the fast path passes on to): the realm is confined the same way', async () => {
    const auth = new Authenticator(TEST_TOKEN, { deps: h.runtime.deps });
    const lifecycle = { deps: h.runtime.deps };
    const app = express();
    app.use(express.json());
    app.post(['/v1/check', '/v1/check/batch'], checkGate(auth, lifecycle));
    app.use(checkRoutes(lifecycle, new Metrics()));
    app.use(errorHandler(() => undefined));
    expectError(await request(app).post('/v1/check').send(check), 401, 'unauthorized');
    await request(app).post('/v1/check').set('Authorization', `Bearer ${tokens.alpha}`).send(check).expect(200);
    expectError(await request(app).post('/v1/check').set('Authorization', `Bearer ${tokens.alpha}`).send({ ...check, realm: 'beta' }), 403, 'forbidden', 'realm');
    const res = await request(app)
      .post('/v1/check/batch')
      .set('Authorization', `Bearer ${tokens.alpha}`)
      .send({ checks: [{ ...check, realm: 'beta' }] });
    expectError(res, 403, 'forbidden', 'checks[0].realm');
  });

  test('a token is looked up once per Authorization header until the token table changes', async () => {
    const auth = new Authenticator(TEST_TOKEN, { deps: h.runtime.deps });
    const header = `Bearer ${tokens.alpha}`;
    const lookups = jest.spyOn(h.runtime.deps.state.tokens, 'findByHash');
    try {
      for (let i = 0; i < 100; i += 1) auth.authenticate(header);
      expect(lookups).toHaveBeenCalledTimes(1);
      await h.admin.post('/v1/realms/beta/tokens', { name: 'another', scopes: ['read'] }).expect(201);
      auth.authenticate(header);
      expect(lookups).toHaveBeenCalledTimes(2);
    } finally {
      lookups.mockRestore();
    }
  });

  test('what verifying a token costs per check, measured in process', () => {
    const auth = new Authenticator(TEST_TOKEN, { deps: h.runtime.deps });
    const header = `Bearer ${tokens.alpha}`;
    const rounds = 20_000;
    for (let i = 0; i < 1000; i += 1) auth.authenticate(header);
    const started = process.hrtime.bigint();
    for (let i = 0; i < rounds; i += 1) auth.authenticate(header);
    const perCallUs = Number(process.hrtime.bigint() - started) / rounds / 1000;
    console.log(`token verification, once verified: ${perCallUs.toFixed(2)} µs per check`);
    // memory only: a database round trip would be hundreds of µs (the bound is loose for a busy machine)
    expect(perCallUs).toBeLessThan(100);
  });
});
