import { createServer, type Server } from 'node:http';
import path from 'node:path';
import { status as grpcStatus } from '@grpc/grpc-js';
import request from 'supertest';
import { createApp } from '../../src/app';
import { readConfig } from '../../src/config';
import { startExtAuthzGrpc, type ExtAuthzGrpcServer } from '../../src/grpc/extAuthzServer';
import type { Lifecycle } from '../../src/http/lifecycle';
import { PROJECT_ROOT } from '../../src/projectRoot';
import { startHarness, TEST_TOKEN, type Harness } from '../support/harness';
import { grpcCaller, httpCaller, type EnvoyCaller } from './envoyCalls';

const EXAMPLE = path.join(PROJECT_ROOT, 'deploy', 'envoy', 'ext-authz.yaml');
const REALM_FROM_HEADER = path.join(PROJECT_ROOT, 'test', 'extAuthz', 'fixtures', 'realm-from-header.yaml');
const ALL_HEADERS = ['x-realmgate-subject', 'x-realmgate-realm', 'x-realmgate-org', 'x-realmgate-permission', 'x-realmgate-revision', 'x-realmgate-reason'];

function listen(app: ReturnType<typeof createApp>): Promise<Server> {
  return new Promise((resolve) => {
    const server = createServer(app).listen(0, '127.0.0.1', () => resolve(server));
  });
}
const baseUrl = (server: Server) => `http://127.0.0.1:${(server.address() as { port: number }).port}`;

let h: Harness;
/** one sidecar answering both modes: the example routes file, and a second one taking the realm from a header */
const servers: Server[] = [];
const grpcServers: ExtAuthzGrpcServer[] = [];
const callers: Record<'http' | 'grpc', { example: EnvoyCaller; realmFromHeader: EnvoyCaller }> = {} as never;
let revision: number;

beforeAll(async () => {
  h = await startHarness({ env: { REALMGATE_EXT_AUTHZ_CONFIG: EXAMPLE } });
  await h.admin.put('/v1/realms/acme').expect(201);
  await h.admin.put('/v1/realms/acme/roles/admin', { permissions: ['orders:*', 'reports.read'] }).expect(201);
  await h.admin.put('/v1/realms/acme/users/alice/memberships/eng', { roles: ['admin'] }).expect(201);
  await h.admin.put('/v1/realms/acme/users/bob/memberships/eng', { permissions: ['orders:read'] }).expect(201);
  await h.admin.put('/v1/realms/acme/orgs/sales').expect(201);
  await h.admin.put('/v1/realms/acme/users/carol/membership', { permissions: ['realm.admin'] }).expect(201);
  await h.admin.put('/v1/realms/partners').expect(201);
  const last = await h.admin.put('/v1/realms/partners/users/dave/memberships/eng', { permissions: ['orders:read'] }).expect(201);
  revision = last.body.revision;

  const lifecycle: Lifecycle = { deps: h.runtime.deps };
  const second = readConfig({ REALMGATE_EXT_AUTHZ_CONFIG: REALM_FROM_HEADER }).extAuthz!;
  const secondApp = createApp({ lifecycle, adminToken: TEST_TOKEN, maxBodyBytes: 1024 * 1024, extAuthz: second });
  servers.push(await listen(h.app), await listen(secondApp));
  const grpc = async (settings = h.config.extAuthz!) => {
    const server = await startExtAuthzGrpc({ host: '127.0.0.1', port: 0, lifecycle, settings });
    grpcServers.push(server);
    return `127.0.0.1:${server.port}`;
  };
  callers.http = { example: httpCaller(baseUrl(servers[0])), realmFromHeader: httpCaller(baseUrl(servers[1])) };
  callers.grpc = { example: grpcCaller(await grpc()), realmFromHeader: grpcCaller(await grpc(second)) };
});

afterAll(async () => {
  for (const pair of Object.values(callers)) for (const caller of Object.values(pair)) caller.close();
  await Promise.all(grpcServers.map((s) => s.close()));
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  await h.close();
});

describe.each(['http', 'grpc'] as const)('Envoy ext_authz over %s', (mode) => {
  const ask = (...args: Parameters<EnvoyCaller['ask']>) => callers[mode].example.ask(...args);
  const askRealmFromHeader = (...args: Parameters<EnvoyCaller['ask']>) => callers[mode].realmFromHeader.ask(...args);

  test('allows a granted request and tells the upstream who, where, what and at which revision', async () => {
    const answer = await ask({ method: 'GET', path: '/orgs/eng/orders?page=2&org=sales', headers: { 'x-jwt-sub': 'alice' } });
    expect(answer).toEqual({
      allowed: true,
      status: 200,
      reason: 'granted',
      revision,
      upstream: {
        'x-realmgate-subject': 'alice',
        'x-realmgate-realm': 'acme',
        'x-realmgate-org': 'eng',
        'x-realmgate-permission': 'orders:read',
        'x-realmgate-revision': String(revision),
        'x-realmgate-reason': 'granted',
      },
      remove: [],
    });
  });

  test('denies with 403 and the reason a check gives', async () => {
    expect(await ask({ method: 'POST', path: '/orgs/eng/orders', headers: { 'x-jwt-sub': 'bob' } })).toMatchObject({
      allowed: false,
      status: 403,
      reason: 'no_grant',
      revision,
    });
    expect(await ask({ method: 'GET', path: '/orgs/eng/orders', headers: { 'x-jwt-sub': 'mallory' } })).toMatchObject({
      status: 403,
      reason: 'unknown_user',
    });
  });

  test('takes the org from a path parameter, decoded', async () => {
    expect(await ask({ method: 'GET', path: '/orgs/eng/orders', headers: { 'x-jwt-sub': 'bob' } })).toMatchObject({
      allowed: true,
      upstream: { 'x-realmgate-org': 'eng' },
    });
    expect(await ask({ method: 'GET', path: '/orgs/%65ng/orders', headers: { 'x-jwt-sub': 'bob' } })).toMatchObject({
      allowed: true,
      upstream: { 'x-realmgate-org': 'eng' },
    });
    expect(await ask({ method: 'GET', path: '/orgs/sales/orders', headers: { 'x-jwt-sub': 'bob' } })).toMatchObject({
      status: 403,
      reason: 'no_membership',
    });
    expect(await ask({ method: 'DELETE', path: '/orgs/eng/orders/42', headers: { 'x-jwt-sub': 'alice' } })).toMatchObject({
      allowed: true,
      upstream: { 'x-realmgate-org': 'eng', 'x-realmgate-permission': 'orders:rw' },
    });
  });

  test('takes the org from a header, and denies with missing_org when it is absent', async () => {
    expect(await ask({ method: 'GET', path: '/reports', headers: { 'x-jwt-sub': 'alice', 'x-org': 'eng' } })).toMatchObject({
      allowed: true,
      upstream: { 'x-realmgate-org': 'eng', 'x-realmgate-permission': 'reports.read' },
    });
    expect(await ask({ method: 'GET', path: '/reports', headers: { 'x-jwt-sub': 'alice', 'x-org': 'sales' } })).toMatchObject({
      status: 403,
      reason: 'no_membership',
    });
    expect(await ask({ method: 'GET', path: '/reports', headers: { 'x-jwt-sub': 'alice' } })).toMatchObject({ status: 403, reason: 'missing_org' });
  });

  test('a route without org is a realm-level check, and an org header the client sent is stripped', async () => {
    const answer = await ask({ method: 'PUT', path: '/admin/users/7', headers: { 'x-jwt-sub': 'carol', 'x-realmgate-org': 'eng' } });
    expect(answer).toMatchObject({ allowed: true, reason: 'granted', remove: ['x-realmgate-org'] });
    expect(answer.upstream).not.toHaveProperty('x-realmgate-org');
    // alice's grants are in org eng, not at realm level
    expect(await ask({ method: 'GET', path: '/admin/users', headers: { 'x-jwt-sub': 'alice' } })).toMatchObject({
      status: 403,
      reason: 'no_membership',
    });
  });

  test('a request no route matches is denied with no_route', async () => {
    expect(await ask({ method: 'GET', path: '/nowhere', headers: { 'x-jwt-sub': 'alice' } })).toMatchObject({ status: 403, reason: 'no_route' });
    expect(await ask({ method: 'DELETE', path: '/orgs/eng/orders', headers: { 'x-jwt-sub': 'alice' } })).toMatchObject({
      status: 403,
      reason: 'no_route',
    });
  });

  test('a GET route covers HEAD', async () => {
    expect(await ask({ method: 'HEAD', path: '/orgs/eng/orders', headers: { 'x-jwt-sub': 'bob' } })).toMatchObject({
      allowed: true,
      reason: 'granted',
      upstream: { 'x-realmgate-permission': 'orders:read' },
    });
  });

  test('without the subject header (or with an empty one) the answer is 401 missing_subject', async () => {
    expect(await ask({ method: 'GET', path: '/orgs/eng/orders' })).toMatchObject({ allowed: false, status: 401, reason: 'missing_subject' });
    expect(await ask({ method: 'GET', path: '/orgs/eng/orders', headers: { 'x-jwt-sub': ' ' } })).toMatchObject({
      status: 401,
      reason: 'missing_subject',
    });
  });

  test.each(['/orgs/eng/../../admin/users', '/orgs/eng//orders', '/orgs/eng%2Forders/orders', '/orgs/%2e%2e/orders', '/orgs/eng/orders/.'])(
    'refuses %s, which an upstream could resolve to another route',
    async (path) => {
      expect(await ask({ method: 'GET', path, headers: { 'x-jwt-sub': 'alice' } })).toMatchObject({ status: 403, reason: 'malformed_path' });
    },
  );

  test('takes the realm from a header when configured so, and denies without it', async () => {
    expect(await askRealmFromHeader({ method: 'GET', path: '/orgs/eng/orders', headers: { 'x-user': 'dave', 'x-realm': 'partners' } })).toMatchObject({
      allowed: true,
      upstream: { 'x-realmgate-realm': 'partners', 'x-realmgate-subject': 'dave', 'x-realmgate-org': 'eng' },
    });
    // realms are separate: dave exists only in partners
    expect(await askRealmFromHeader({ method: 'GET', path: '/orgs/eng/orders', headers: { 'x-user': 'dave', 'x-realm': 'acme' } })).toMatchObject({
      status: 403,
      reason: 'unknown_user',
    });
    expect(await askRealmFromHeader({ method: 'GET', path: '/orgs/eng/orders', headers: { 'x-user': 'dave' } })).toMatchObject({
      status: 403,
      reason: 'missing_realm',
    });
  });

  test('with defaultAction allow, an unmatched request goes on, marked no_route, with nothing the client could forge', async () => {
    const answer = await askRealmFromHeader({ method: 'POST', path: '/public/signup', headers: { 'x-user': 'dave', 'x-realmgate-org': 'eng' } });
    expect(answer).toEqual({
      allowed: true,
      status: 200,
      reason: 'no_route',
      revision,
      upstream: { 'x-realmgate-subject': 'dave', 'x-realmgate-revision': String(revision), 'x-realmgate-reason': 'no_route' },
      remove: ['x-realmgate-realm', 'x-realmgate-org', 'x-realmgate-permission'],
    });
    const anonymous = await askRealmFromHeader({ method: 'GET', path: '/' });
    expect(anonymous).toMatchObject({ allowed: true, reason: 'no_route' });
    expect(anonymous.remove).toEqual(ALL_HEADERS.filter((name) => !['x-realmgate-revision', 'x-realmgate-reason'].includes(name)));
  });
});

describe('both modes', () => {
  test('answer from the current policy: a user disabled after a grant is denied at the next request', async () => {
    const grant = await h.admin.put('/v1/realms/acme/users/erin/memberships/eng', { permissions: ['orders:read'] }).expect(201);
    for (const caller of [callers.http.example, callers.grpc.example]) {
      expect(await caller.ask({ method: 'GET', path: '/orgs/eng/orders', headers: { 'x-jwt-sub': 'erin' } })).toMatchObject({
        allowed: true,
        revision: grant.body.revision,
      });
    }
    const disabled = await h.admin.put('/v1/realms/acme/users/erin', { state: 'disabled' }).expect(200);
    for (const caller of [callers.http.example, callers.grpc.example]) {
      expect(await caller.ask({ method: 'GET', path: '/orgs/eng/orders', headers: { 'x-jwt-sub': 'erin' } })).toMatchObject({
        status: 403,
        reason: 'user_disabled',
        revision: disabled.body.revision,
      });
    }
  });
});

describe('over HTTP', () => {
  test('the original Host header is answered (Envoy forwards the client request’s authority)', async () => {
    const caller = httpCaller(baseUrl(servers[0]), 'evil.example.net:8443');
    try {
      expect(await caller.ask({ method: 'GET', path: '/orgs/eng/orders', headers: { 'x-jwt-sub': 'bob' } })).toMatchObject({ allowed: true });
    } finally {
      caller.close();
    }
  });

  test('a page reaching this listener by DNS rebinding is refused: its Host names this listener\'s own port', async () => {
    const port = (servers[0].address() as { port: number }).port;
    for (const host of [`attacker.example:${port}`, `127.0.0.1.nip.io:${port}`, `[::2]:${port}`]) {
      const res = await request(baseUrl(servers[0])).get('/ext-authz/orgs/eng/orders').set('Host', host).set('x-jwt-sub', 'alice');
      expect(res.status).toBe(421);
      expect(res.body.error.code).toBe('misdirected_request');
      expect(res.headers['x-realmgate-subject']).toBeUndefined();
    }
    // the names this listener answers for, at its port, and anyone's name at another port (the proxy's), are answered
    for (const host of [`localhost:${port}`, `127.0.0.1:${port}`, 'app.example.com', `app.example.com:${port + 1}`]) {
      await request(baseUrl(servers[0])).get('/ext-authz/orgs/eng/orders').set('Host', host).set('x-jwt-sub', 'alice').expect(200);
    }
  });

  test('a cross-origin preflight is granted nothing: no CORS header on any answer', async () => {
    const preflight = await request(baseUrl(servers[0]))
      .options('/ext-authz/orgs/eng/orders')
      .set('Origin', 'http://attacker.example')
      .set('Access-Control-Request-Method', 'GET')
      .set('Access-Control-Request-Headers', 'x-jwt-sub');
    expect([401, 403]).toContain(preflight.status);
    const allowed = await request(baseUrl(servers[0])).get('/ext-authz/orgs/eng/orders').set('Origin', 'http://attacker.example').set('x-jwt-sub', 'alice').expect(200);
    for (const res of [preflight, allowed]) {
      expect(Object.keys(res.headers).filter((name) => name.startsWith('access-control-'))).toEqual([]);
    }
  });

  test('/ext-authz is 404 when no routes file is configured', async () => {
    const app = createApp({ lifecycle: { deps: h.runtime.deps }, adminToken: TEST_TOKEN, maxBodyBytes: 1024 });
    const res = await request(app).get('/ext-authz/orgs/eng/orders').set('x-jwt-sub', 'alice').expect(404);
    expect(res.body).toEqual({ error: { code: 'not_found', message: 'external authorization is off: set REALMGATE_EXT_AUTHZ_CONFIG' } });
  });

  test('/ext-authz is 503 not_ready while the policy loads', async () => {
    const app = createApp({ lifecycle: {}, adminToken: TEST_TOKEN, maxBodyBytes: 1024, extAuthz: h.config.extAuthz });
    const res = await request(app).get('/ext-authz/orgs/eng/orders').set('x-jwt-sub', 'alice').expect(503);
    expect(res.body.error.code).toBe('not_ready');
  });

  test('a path starting with /ext-authz but not under it is not taken for one', async () => {
    await h.http().get('/ext-authzfoo').expect(404);
  });
});

describe('over gRPC', () => {
  test('headers sent as header_map (Envoy’s encode_raw_headers) are read too', async () => {
    const caller = grpcCaller(`127.0.0.1:${grpcServers[0].port}`);
    try {
      const response = await caller.check({
        attributes: {
          request: {
            http: {
              method: 'GET',
              path: '/orgs/eng/orders',
              header_map: { headers: [{ key: 'X-Jwt-Sub', raw_value: Buffer.from('bob') }] },
            },
          },
        },
      });
      expect(response).toMatchObject({ status: { code: 0 }, http_response: 'ok_response' });
    } finally {
      caller.close();
    }
  });

  test('a denial carries a 403 denied_response with a JSON body', async () => {
    const caller = grpcCaller(`127.0.0.1:${grpcServers[0].port}`);
    try {
      const response = await caller.check({
        attributes: { request: { http: { method: 'POST', path: '/orgs/eng/orders', headers: { 'x-jwt-sub': 'bob' } } } },
      });
      expect(response).toMatchObject({
        status: { code: 7, message: 'no_grant' },
        http_response: 'denied_response',
        denied_response: {
          status: { code: 'Forbidden' },
          headers: [{ header: { key: 'content-type', value: 'application/json' } }],
          body: JSON.stringify({ allowed: false, reason: 'no_grant', revision: h.runtime.deps.state.revision }),
        },
      });
    } finally {
      caller.close();
    }
  });

  test('a request without HTTP attributes is INVALID_ARGUMENT; while the policy loads, UNAVAILABLE', async () => {
    const caller = grpcCaller(`127.0.0.1:${grpcServers[0].port}`);
    const loading = await startExtAuthzGrpc({ host: '127.0.0.1', port: 0, lifecycle: {}, settings: h.config.extAuthz! });
    const early = grpcCaller(`127.0.0.1:${loading.port}`);
    try {
      await expect(caller.check({ attributes: {} })).rejects.toMatchObject({ code: grpcStatus.INVALID_ARGUMENT });
      await expect(early.ask({ method: 'GET', path: '/orgs/eng/orders', headers: { 'x-jwt-sub': 'bob' } })).rejects.toMatchObject({
        code: grpcStatus.UNAVAILABLE,
        details: 'the policy is still loading; retry shortly',
      });
    } finally {
      caller.close();
      early.close();
      await loading.close();
    }
  });
});
