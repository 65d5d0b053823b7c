import express from 'express';
import request from 'supertest';
import { Realmgate } from '../../packages/client/src/index';
import { createMiddleware } from '../../packages/client/src/express';
import { FakeServer } from './fakeServer';

/**
 * The express middleware, over a real client talking to a fake realmgate: allow, deny, no
 * subject, a bad org, a sidecar that errs or is gone (503, failing closed), anyOf and allOf.
 */
let server: FakeServer;
let grants: Record<string, string[]>;
beforeEach(async () => {
  server = await new FakeServer().start();
  grants = { alice: ['orders:read', 'orders:write'], bob: ['orders:read'] };
  server.fallback = (req) => ({
    body: {
      results: req.body.checks.map((c: { subject: string; permission: string }) =>
        (grants[c.subject] ?? []).includes(c.permission) ? { allowed: true, reason: 'granted', revision: 2 } : { allowed: false, reason: c.subject in grants ? 'no_grant' : 'unknown_user', revision: 2 },
      ),
    },
  });
});
afterEach(() => server.stop());

function app(url = server.url) {
  const client = new Realmgate({ url, realm: 'shop', retry: { retries: 1, baseDelayMs: 1 } });
  const { requirePermission, anyOf, allOf } = createMiddleware(client);
  const who = { subject: (req: express.Request) => req.get('x-user'), org: (req: express.Request) => String(req.params.org) };
  const a = express();
  const show = (_req: express.Request, res: express.Response) => res.json({ decision: res.locals.decision, decisions: res.locals.decisions });
  a.get('/orgs/:org/orders', requirePermission('orders:read', who), show);
  a.get('/orgs/:org/any', anyOf(requirePermission('orders:admin', who), requirePermission('orders:write', who)), show);
  a.get('/orgs/:org/all', allOf(requirePermission('orders:read', who), requirePermission('orders:write', who)), show);
  a.get('/orgs/:org/nested', anyOf(allOf(requirePermission('orders:read', who), requirePermission('orders:admin', who)), requirePermission('orders:write', who)), show);
  return a;
}

test('an allow calls the route with res.locals.decision set', async () => {
  const res = await request(app()).get('/orgs/eng/orders').set('x-user', 'bob');
  expect(res.status).toBe(200);
  expect(res.body.decision).toEqual({ allowed: true, reason: 'granted', revision: 2 });
  expect(server.requests[0].body.checks).toEqual([{ subject: 'bob', org: 'eng', realm: 'shop', permission: 'orders:read' }]);
});

test('a deny answers 403 JSON with the reason, and the route never runs', async () => {
  const res = await request(app()).get('/orgs/eng/orders').set('x-user', 'carol');
  expect(res.status).toBe(403);
  expect(res.body).toEqual({
    error: { code: 'forbidden', message: "'carol' may not orders:read in org 'eng'", reason: 'unknown_user', permission: 'orders:read', denied: [{ permission: 'orders:read', reason: 'unknown_user' }] },
  });
});

test('no subject answers 401 without asking realmgate', async () => {
  const res = await request(app()).get('/orgs/eng/orders');
  expect(res.status).toBe(401);
  expect(res.body.error.code).toBe('unauthenticated');
  expect(server.requests).toHaveLength(0);
});

test('input realmgate rejects (a malformed org) answers 400 naming the field', async () => {
  server.fallback = () => ({ status: 400, body: { error: { code: 'invalid_request', message: 'checks[0].org must match pattern', field: 'checks[0].org' } } });
  const res = await request(app()).get('/orgs/-bad/orders').set('x-user', 'bob');
  expect(res.status).toBe(400);
  expect(res.body.error).toMatchObject({ code: 'invalid_request', field: 'checks[0].org' });
});

test('a sidecar answering 503 answers 503, failing closed', async () => {
  server.fallback = () => ({ status: 503, body: { error: { code: 'not_ready', message: 'loading' } } });
  const res = await request(app()).get('/orgs/eng/orders').set('x-user', 'alice');
  expect(res.status).toBe(503);
  expect(res.headers['retry-after']).toBe('1');
  expect(res.body.error).toMatchObject({ code: 'authorization_unavailable', cause: 'not_ready' });
});

test('an unreachable sidecar answers 503, failing closed', async () => {
  const url = server.url;
  await server.stop();
  const res = await request(app(url)).get('/orgs/eng/orders').set('x-user', 'alice');
  expect(res.status).toBe(503);
  expect(res.body.error).toMatchObject({ code: 'authorization_unavailable', cause: 'network_error' });
  server = await new FakeServer().start();
});

test('anyOf passes when one requirement allows, in one request', async () => {
  const res = await request(app()).get('/orgs/eng/any').set('x-user', 'alice');
  expect(res.status).toBe(200);
  expect(res.body.decision.allowed).toBe(true);
  expect(res.body.decisions.map((d: { allowed: boolean }) => d.allowed)).toEqual([false, true]);
  expect(server.requests).toHaveLength(1);
});

test('anyOf denies when none allows, listing every denial', async () => {
  const res = await request(app()).get('/orgs/eng/any').set('x-user', 'bob');
  expect(res.status).toBe(403);
  expect(res.body.error.denied).toEqual([
    { permission: 'orders:admin', reason: 'no_grant' },
    { permission: 'orders:write', reason: 'no_grant' },
  ]);
});

test('allOf passes only when every requirement allows', async () => {
  expect((await request(app()).get('/orgs/eng/all').set('x-user', 'alice')).status).toBe(200);
  const res = await request(app()).get('/orgs/eng/all').set('x-user', 'bob');
  expect(res.status).toBe(403);
  expect(res.body.error).toMatchObject({ reason: 'no_grant', permission: 'orders:write' });
});

test('combinations nest: anyOf(allOf(read, admin), write)', async () => {
  expect((await request(app()).get('/orgs/eng/nested').set('x-user', 'alice')).status).toBe(200);
  grants.alice = ['orders:read'];
  expect((await request(app()).get('/orgs/eng/nested').set('x-user', 'alice')).status).toBe(403);
  grants.alice = ['orders:read', 'orders:admin'];
  expect((await request(app()).get('/orgs/eng/nested').set('x-user', 'alice')).status).toBe(200);
});

test('a subject function that throws goes to the app error handler', async () => {
  const client = new Realmgate({ url: server.url });
  const { requirePermission } = createMiddleware(client);
  const a = express();
  a.get(
    '/x',
    requirePermission('p', {
      subject: () => {
        throw new Error('token invalid');
      },
    }),
  );
  a.use((err: Error, _req: express.Request, res: express.Response, _next: express.NextFunction) => res.status(418).json({ seen: err.message }));
  const res = await request(a).get('/x');
  expect(res.status).toBe(418);
  expect(res.body.seen).toBe('token invalid');
});
