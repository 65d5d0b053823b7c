import express, { type ErrorRequestHandler } from 'express';
import request from 'supertest';
import { Metrics } from '../../src/http/metrics';
import type { Lifecycle } from '../../src/http/lifecycle';
import { checkFastRoutes } from '../../src/routes/check';
import { startHarness, type Harness } from '../support/harness';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
  await h.admin.put('/v1/realms/acme').expect(201);
  await h.admin.put('/v1/realms/acme/users/alice/membership', { permissions: ['orders:*'] }).expect(201);
});
afterAll(() => h.close());

/** The fast routes alone; whatever they pass on is answered 418 so it can be told apart. */
function fastOnly(lifecycle: Lifecycle, metrics = new Metrics()) {
  const app = express();
  app.use(express.json());
  app.use(checkFastRoutes(lifecycle, metrics, true));
  app.use((_req, res) => {
    res.status(418).json({ passedOn: true });
  });
  const onError: ErrorRequestHandler = (err, _req, res, _next) => {
    res.status((err as { status?: number }).status ?? 500).json({ error: String(err) });
  };
  app.use(onError);
  return app;
}

describe('the decision fast path ahead of the validator middleware', () => {
  test('answers a conforming check and a conforming batch itself, counting the decisions', async () => {
    const metrics = new Metrics();
    const app = fastOnly({ deps: h.runtime.deps }, metrics);
    const one = await request(app).post('/v1/check').send({ realm: 'acme', subject: 'alice', permission: 'orders:rw' }).expect(200);
    expect(one.body).toMatchObject({ allowed: true, reason: 'granted', match: { grant: 'orders:*' } });
    const batch = await request(app)
      .post('/v1/check/batch')
      .send({ checks: [{ realm: 'acme', subject: 'alice', permission: 'orders:rw' }, { realm: 'acme', subject: 'bob', permission: 'x' }] })
      .expect(200);
    expect(batch.body.results.map((r: { reason: string }) => r.reason)).toEqual(['granted', 'unknown_user']);
    expect([metrics.checksAllowed, metrics.checksDenied]).toEqual([2, 1]);
  });

  test.each([
    ['no permission', { realm: 'acme', subject: 'alice' }],
    ['an unknown field', { realm: 'acme', subject: 'alice', permission: 'x', extra: 1 }],
    ['a tag breaking the pattern', { realm: 'acme', subject: 'alice', permission: 'a b' }],
    ['a subject that is not a string', { realm: 'acme', subject: 7, permission: 'x' }],
    ['a bad org', { realm: 'acme', subject: 'alice', org: '-x', permission: 'x' }],
  ])('passes a check body with %s on to the validator', async (_what, body) => {
    await request(fastOnly({ deps: h.runtime.deps })).post('/v1/check').send(body).expect(418);
  });

  test('passes on a batch that is empty, too long, or holds one bad check, and a body that is not JSON', async () => {
    const app = fastOnly({ deps: h.runtime.deps });
    const good = { realm: 'acme', subject: 'alice', permission: 'x' };
    await request(app).post('/v1/check/batch').send({ checks: [] }).expect(418);
    await request(app).post('/v1/check/batch').send({ checks: Array(1001).fill(good) }).expect(418);
    await request(app).post('/v1/check/batch').send({ checks: [good, { ...good, permission: '' }] }).expect(418);
    await request(app).post('/v1/check').set('content-type', 'text/plain').send('subject=alice').expect(418);
  });

  test('through the whole app, what the fast path passes on gets the validator error naming the field', async () => {
    const res = await h.http().post('/v1/check/batch').send({ checks: [{ subject: 'alice', permission: 'x' }, { subject: 'alice', permission: 'a b' }] });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'invalid_request', field: 'checks[1].permission' });
  });

  test('before the policy is loaded, a conforming check is a 503', async () => {
    await request(fastOnly({})).post('/v1/check').send({ realm: 'acme', subject: 'alice', permission: 'x' }).expect(503);
  });
});
