import fs from 'node:fs';
import yaml from 'js-yaml';
import request from 'supertest';
import { OPENAPI_PATH } from '../../src/http/contractBodyValidator';
import { SCOPES, type Scope } from '../../src/engine/scopes';
import { startHarness, type Harness } from '../support/harness';

/**
 * Walks every operation in openapi.yaml, so a route added later is covered without a new test:
 * each declares what it takes, a realm token without the scope gets a 403, one with it gets past
 * authorisation, a token of another realm gets a 403 on every route with a {realm}, and routes
 * for the admin token only refuse every realm token. Checks (a realm in the body) have their own
 * walk with REALMGATE_CHECK_AUTH=token.
 */

interface Operation {
  method: 'get' | 'put' | 'post' | 'delete';
  path: string;
  security?: Record<string, string[]>[];
  hasRealm: boolean;
}

type Doc = { paths: Record<string, Record<string, { security?: Record<string, string[]>[]; parameters?: { $ref?: string; name?: string }[] }> & { parameters?: { $ref?: string }[] }> };
const doc = yaml.load(fs.readFileSync(OPENAPI_PATH, 'utf8')) as Doc;

const operations: Operation[] = Object.entries(doc.paths).flatMap(([path, item]) =>
  (['get', 'put', 'post', 'delete'] as const)
    .filter((method) => item[method] !== undefined)
    .map((method) => ({ method, path, security: item[method].security, hasRealm: path.includes('{realm}') })),
);
const label = (op: Operation) => `${op.method.toUpperCase()} ${op.path}`;

/** What an operation takes: a scope of bearerAuth, the admin token only, or nothing (maybe with checks' optional token). */
function requirement(op: Operation): { scope: Scope } | 'adminToken' | 'anyToken' | 'open' | 'check' {
  const security = op.security ?? [];
  if (security.length === 0) return 'open';
  if (security.length === 1 && 'anyToken' in security[0]) return 'anyToken';
  if (security.some((s) => Object.keys(s).length === 0)) return 'check';
  if (security.length === 1 && 'adminToken' in security[0]) return 'adminToken';
  const scopes = security[0].bearerAuth ?? [];
  return { scope: scopes[0] as Scope };
}

const realmOps = operations.filter((op) => typeof requirement(op) === 'object');
const adminOnlyOps = operations.filter((op) => requirement(op) === 'adminToken');
const PARAMS: Record<string, string> = { user: 'ann', org: 'store1', role: 'clerk', id: '00000000-0000-4000-8000-000000000000' };
const urlFor = (op: Operation, realm: string) =>
  op.path.replace(/\{(\w+)\}/g, (_m, name: string) => (name === 'realm' ? realm : PARAMS[name])) +
  (op.path.endsWith('/subjects') ? '?permission=orders:rw' : '');

let h: Harness;
const tokens = new Map<string, string>();

beforeAll(async () => {
  h = await startHarness({ env: { REALMGATE_CHECK_AUTH: 'token' } });
  for (const realm of ['alpha', 'beta']) {
    await h.admin.put(`/v1/realms/${realm}`).expect(201);
    await h.admin.put(`/v1/realms/${realm}/roles/clerk`, { permissions: ['orders:rw'] }).expect(201);
    await h.admin.put(`/v1/realms/${realm}/users/ann/memberships/store1`, { roles: ['clerk'] }).expect(201);
    for (const scope of SCOPES) {
      const res = await h.admin.post(`/v1/realms/${realm}/tokens`, { name: `${scope} token`, scopes: [scope] }).expect(201);
      tokens.set(`${realm}:${scope}`, res.body.token);
    }
  }
});
afterAll(() => h.close());

function send(op: Operation, url: string, token: string): request.Test {
  const req = request(h.app)[op.method](url).set('Authorization', `Bearer ${token}`);
  // a body of the right type; what is in it is not the point (authorisation comes first)
  return op.method === 'put' || op.method === 'post' ? req.send({}) : req;
}

test('the walk sees every operation, and each declares what it takes', () => {
  expect(operations.length).toBeGreaterThanOrEqual(28);
  for (const op of operations) {
    const req = requirement(op);
    // ext_authz answers the local proxy like a check, and only when REALMGATE_EXT_AUTHZ_CONFIG turns it on
    if (req === 'open') expect(['/healthz', '/readyz', '/ext-authz/{path}', '/console']).toContain(op.path);
    else if (req === 'anyToken') expect(op.path).toBe('/v1/whoami');
    else if (req === 'check') expect(['/v1/check', '/v1/check/batch']).toContain(op.path);
    else if (req !== 'adminToken') {
      expect({ op: label(op), scopes: op.security?.[0].bearerAuth }).toEqual({ op: label(op), scopes: [expect.stringMatching(/^(check|read|write|admin)$/)] });
      // a realm token acts in the realm of the path: a route of no realm is for the admin token
      expect({ op: label(op), hasRealm: op.hasRealm }).toEqual({ op: label(op), hasRealm: true });
    }
  }
  expect(adminOnlyOps.map(label).sort()).toEqual(['DELETE /v1/realms/{realm}', 'GET /metrics', 'GET /v1/state', 'PUT /v1/realms/{realm}']);
});

describe.each(realmOps.map((op) => [label(op), op] as const))('%s', (_label, op) => {
  const needed = (requirement(op) as { scope: Scope }).scope;

  test.each(SCOPES.map((s) => [s] as const))('a token of its realm with only %s: 403 below the scope it declares, past authorisation from it on', async (held) => {
    const res = await send(op, urlFor(op, 'alpha'), tokens.get(`alpha:${held}`) as string);
    if (SCOPES.indexOf(held) < SCOPES.indexOf(needed)) {
      expect({ status: res.status, code: res.body.error?.code }).toEqual({ status: 403, code: 'forbidden' });
    } else {
      expect({ status: res.status, authorised: ![401, 403].includes(res.status), body: res.body }).toMatchObject({ authorised: true });
    }
  });

  test('a token of another realm, even with admin scope, is a 403', async () => {
    const res = await send(op, urlFor(op, 'beta'), tokens.get('alpha:admin') as string);
    expect({ status: res.status, code: res.body.error?.code, message: res.body.error?.message }).toEqual({
      status: 403,
      code: 'forbidden',
      message: "this token belongs to realm 'alpha', not 'beta'",
    });
  });

  test('the admin token passes', async () => {
    const res = await send(op, urlFor(op, 'alpha'), 'test-admin-token-0123456789');
    expect([401, 403]).not.toContain(res.status);
  });
});

describe.each(adminOnlyOps.map((op) => [label(op), op] as const))('%s (admin token only)', (_label, op) => {
  test.each(SCOPES.map((s) => [s] as const))('a realm token with %s scope, of that very realm, is a 403', async (held) => {
    const res = await send(op, urlFor(op, 'alpha'), tokens.get(`alpha:${held}`) as string);
    expect({ status: res.status, code: res.body.error?.code }).toEqual({ status: 403, code: 'forbidden' });
  });
});

describe.each(operations.filter((op) => requirement(op) === 'anyToken').map((op) => [label(op), op] as const))('%s (any token)', (_label, op) => {
  test.each(SCOPES.map((s) => [s] as const))('a realm token with only %s scope passes', async (held) => {
    const res = await send(op, op.path, tokens.get(`beta:${held}`) as string);
    expect(res.status).toBe(200);
  });

  test('an unknown token is a 401', async () => {
    const res = await send(op, op.path, 'rgt_not-a-token');
    expect({ status: res.status, code: res.body.error?.code }).toEqual({ status: 401, code: 'unauthorized' });
  });
});

describe('checks with REALMGATE_CHECK_AUTH=token: a realm in the body', () => {
  const checkOps = operations.filter((op) => requirement(op) === 'check');
  const bodyFor = (op: Operation, realm: string | undefined) => {
    const check = { ...(realm ? { realm } : {}), subject: 'ann', org: 'store1', permission: 'orders:rw' };
    return op.path.endsWith('/batch') ? { checks: [{ ...check, realm: 'alpha' }, check] } : check;
  };
  const post = (op: Operation, body: object, token?: string) => {
    const req = request(h.app).post(op.path).send(body);
    return token ? req.set('Authorization', `Bearer ${token}`) : req;
  };

  test('both check routes are walked', () => {
    expect(checkOps.map(label).sort()).toEqual(['POST /v1/check', 'POST /v1/check/batch']);
  });

  test.each(checkOps.map((op) => [label(op), op] as const))('%s: naming another realm than the token\'s is a 403, whatever its scope', async (_l, op) => {
    for (const scope of SCOPES) {
      const res = await post(op, bodyFor(op, 'beta'), tokens.get(`alpha:${scope}`));
      expect({ scope, status: res.status, code: res.body.error?.code }).toEqual({ scope, status: 403, code: 'forbidden' });
    }
  });

  test.each(checkOps.map((op) => [label(op), op] as const))('%s: every scope includes check, in its own realm', async (_l, op) => {
    for (const scope of SCOPES) {
      const res = await post(op, bodyFor(op, 'alpha'), tokens.get(`alpha:${scope}`));
      expect({ scope, status: res.status }).toEqual({ scope, status: 200 });
    }
  });
});
