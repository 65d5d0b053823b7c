import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { startHarness, TEST_TOKEN, type Harness } from '../support/harness';
import { expectError } from './apiErrors';

let h: Harness;

beforeAll(async () => {
  h = await startHarness({ defaultRealm: 'acme', maxBodyBytes: 4096 });
  await h.admin.put('/v1/realms/acme').expect(201);
  await h.admin.put('/v1/realms/acme/roles/viewer', { permissions: ['orders:read'] }).expect(201);
  await h.admin.put('/v1/realms/acme/users/alice/memberships/eng', { permissions: ['orders:rw'] }).expect(201);
  await h.admin.put('/v1/realms/acme/users/bob/memberships/ops', { permissions: ['ops:rw'] }).expect(201);
});

afterAll(() => h.close());

const memberships = async () => (await h.admin.get('/v1/realms/acme').expect(200)).body.memberships as number;

describe('query values are plain strings, each given once', () => {
  test.each([
    ['org[__proto__]=eng', 'org'],
    ['org[x]=', 'org'],
    ['org[]=eng', 'org'],
    ['org=eng&org=ops', 'org'],
  ])('PUT /v1/realms/acme/memberships?%s is a 400 naming the parameter, and nothing is synced', async (query, field) => {
    const res = await h.admin.put(`/v1/realms/acme/memberships?${query}`, { memberships: [{ user: 'carol', org: 'eng', permissions: ['x:y'] }] });
    expectError(res, 400, 'invalid_request', field);
    expect(await memberships()).toBe(2);
  });

  test.each(['0x10', '1e3', ' 5', '+5', '5.0', '', '05'])('a number given as %j is a 400 naming the parameter', async (value) => {
    const res = await h.admin.get(`/v1/realms/acme/changes?after=${encodeURIComponent(value)}`);
    expectError(res, 400, 'invalid_request', 'after');
  });

  test('a plain decimal integer is accepted', async () => {
    const res = await h.admin.get('/v1/realms/acme/changes?after=1&limit=10').expect(200);
    expect(res.body.events.length).toBeGreaterThan(0);
  });

  test('repeated keys on a read are a 400 too', async () => {
    expectError(await h.admin.get('/v1/realms/acme/users/alice/permissions?org=eng&org=ops'), 400, 'invalid_request', 'org');
  });
});

describe('a write with an empty body is a 400, and writes nothing', () => {
  test.each([
    ['PUT', '/v1/realms/acme/users/alice/memberships/eng'],
    ['PUT', '/v1/realms/acme/users/alice/membership'],
    ['PUT', '/v1/realms/acme/roles/viewer'],
    ['PUT', '/v1/realms/acme/users/alice'],
    ['POST', '/v1/realms/acme/memberships/batch'],
    ['PUT', '/v1/realms/acme/memberships'],
    ['POST', '/v1/check'],
    ['POST', '/v1/check/batch'],
  ])('%s %s with Content-Type: application/json and no bytes', async (method, url) => {
    const before = (await h.admin.get('/v1/realms/acme/users/alice/memberships').expect(200)).body;
    const call = method === 'PUT' ? request(h.app).put(url) : request(h.app).post(url);
    const res = await call.set('Authorization', `Bearer ${TEST_TOKEN}`).set('Content-Type', 'application/json').send('');
    expectError(res, 400, 'invalid_request');
    expect((await h.admin.get('/v1/realms/acme/users/alice/memberships').expect(200)).body).toEqual(before);
    expect(await memberships()).toBe(2);
  });

  test('the same with chunked transfer and no bytes', async () => {
    const res = await request(h.app)
      .put('/v1/realms/acme/users/alice/memberships/eng')
      .set('Authorization', `Bearer ${TEST_TOKEN}`)
      .set('Content-Type', 'application/json')
      .set('Transfer-Encoding', 'chunked')
      .send('');
    expectError(res, 400, 'invalid_request');
    const held = (await h.admin.get('/v1/realms/acme/users/alice/memberships').expect(200)).body;
    expect(JSON.stringify(held)).toContain('orders:rw');
  });
});

describe('atLeast is at most 2^53-1', () => {
  test('in a check', async () => {
    const res = await h.http().post('/v1/check').send({ subject: 'alice', org: 'eng', permission: 'orders:rw', atLeast: 2 ** 53 });
    expectError(res, 400, 'invalid_request', 'atLeast');
  });

  test('in a batch', async () => {
    const res = await h.http().post('/v1/check/batch').send({ atLeast: 2 ** 53, checks: [{ subject: 'alice', permission: 'x' }] });
    expectError(res, 400, 'invalid_request', 'atLeast');
  });

  test('in a check of a batch', async () => {
    const res = await h.http().post('/v1/check/batch').send({ checks: [{ subject: 'alice', permission: 'x', atLeast: 1e300 }] });
    expectError(res, 400, 'invalid_request', 'checks[0].atLeast');
  });

  test('2^53-1 itself is valid (and waits, bounded, for a revision never reached)', async () => {
    const res = await h.http().post('/v1/check').send({ subject: 'alice', org: 'eng', permission: 'orders:rw', atLeast: 2 ** 53 - 1 });
    expect(res.status).toBe(503);
    expect(res.body.error.code).toBe('stale');
  });
});

describe('methods', () => {
  test('OPTIONS on a known path is a 204 with Allow from openapi.yaml', async () => {
    const res = await request(h.app).options('/v1/realms/acme/users/alice/memberships/eng').expect(204);
    expect(res.headers.allow).toBe('PUT, DELETE, OPTIONS');
    expect(res.text).toBe('');
    expect((await request(h.app).options('/v1/check').expect(204)).headers.allow).toBe('POST, OPTIONS');
    expect((await request(h.app).options('/healthz').expect(204)).headers.allow).toBe('GET, HEAD, OPTIONS');
  });

  test('another method on a known path is a 405 JSON error with Allow', async () => {
    const res = await request(h.app).delete('/v1/check');
    expectError(res, 405, 'method_not_allowed');
    expect(res.headers.allow).toBe('POST, OPTIONS');
    const patch = await request(h.app).patch('/v1/realms/acme').set('Authorization', `Bearer ${TEST_TOKEN}`).send({});
    expectError(patch, 405, 'method_not_allowed');
    expect(patch.headers.allow).toBe('GET, PUT, DELETE, HEAD, OPTIONS');
  });

  test('HEAD answers wherever GET does, without a body', async () => {
    for (const url of ['/healthz', '/readyz', '/metrics', '/v1/realms/acme', '/v1/realms/acme/users/alice/permissions?org=eng']) {
      const res = await request(h.app).head(url).set('Authorization', `Bearer ${TEST_TOKEN}`);
      expect({ url, status: res.status }).toEqual({ url, status: 200 });
      expect(res.text ?? '').toBe('');
    }
  });

  test('an unknown path stays a 404, whatever the method', async () => {
    expectError(await request(h.app).options('/v1/nowhere'), 404, 'not_found');
    expectError(await request(h.app).get('/v1/nowhere'), 404, 'not_found');
  });
});

describe('a declared Content-Length over REALMGATE_MAX_BODY_BYTES', () => {
  test('is a 413 before the body is sent', async () => {
    const server = http.createServer(h.app).listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const socket = net.connect(port, '127.0.0.1');
      const answer = new Promise<string>((resolve, reject) => {
        let text = '';
        socket.on('data', (c: Buffer) => {
          text += c.toString();
          if (text.includes('\r\n\r\n') && text.includes('}')) resolve(text);
        });
        socket.once('error', reject);
      });
      // only the headers: the body never comes, so only a refusal made up front can answer
      socket.write(
        'PUT /v1/realms/acme/users/alice/memberships/eng HTTP/1.1\r\nHost: 127.0.0.1\r\n' +
          `Authorization: Bearer ${TEST_TOKEN}\r\nContent-Type: application/json\r\nContent-Length: 1000000\r\n\r\n`,
      );
      const text = await answer;
      socket.destroy();
      expect(text).toMatch(/^HTTP\/1\.1 413 /);
      expect(text).toMatch(/connection: close/i);
      expect(text).toContain('"code":"payload_too_large"');
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
