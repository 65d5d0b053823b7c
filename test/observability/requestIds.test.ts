import { Writable } from 'node:stream';
import request from 'supertest';
import { createApp } from '../../src/app';
import path from 'node:path';
import { readConfig, type LogLevel } from '../../src/config';
import { Metrics } from '../../src/http/metrics';
import { PROJECT_ROOT } from '../../src/projectRoot';
import type { Lifecycle } from '../../src/http/lifecycle';
import { createLogger } from '../../src/logger';
import { startHarness, TEST_TOKEN, type Harness } from '../support/harness';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** An app whose log lines are kept, parsed, in `lines`. */
function appWithLog(lifecycle: Lifecycle, level: LogLevel, more: Partial<Parameters<typeof createApp>[0]> = {}) {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n')) if (line) lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  const app = createApp({ lifecycle, adminToken: TEST_TOKEN, maxBodyBytes: 1 << 20, logger: createLogger(level, destination), ...more });
  return { app, lines };
}

describe('X-Request-Id and access logs', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
    await h.admin.put('/v1/realms/acme').expect(201);
  });
  afterAll(() => h.close());

  test('a plain X-Request-Id is echoed, on checks and on management routes', async () => {
    const { app } = appWithLog({ deps: h.runtime.deps }, 'info');
    const check = await request(app).post('/v1/check').set('X-Request-Id', 'req-42.a:b').send({ realm: 'acme', subject: 'a', permission: 'p' });
    expect(check.headers['x-request-id']).toBe('req-42.a:b');
    const read = await request(app).get('/v1/realms/acme').set('Authorization', `Bearer ${TEST_TOKEN}`).set('X-Request-Id', 'abc');
    expect(read.headers['x-request-id']).toBe('abc');
  });

  test('without one, or with one too long or with unsafe characters, a new UUID is made', async () => {
    const { app } = appWithLog({ deps: h.runtime.deps }, 'info');
    for (const sent of [undefined, 'x'.repeat(129), 'has space', 'quote"d', 'new\u00e9']) {
      const t = request(app).get('/healthz');
      const res = await (sent === undefined ? t : t.set('X-Request-Id', sent));
      expect(res.headers['x-request-id']).toMatch(UUID);
    }
  });

  test('a management request is logged at info as a JSON line with time, level and its request id; the token is not', async () => {
    const { app, lines } = appWithLog({ deps: h.runtime.deps }, 'info');
    await request(app).put('/v1/realms/acme/orgs/eng').set('Authorization', `Bearer ${TEST_TOKEN}`).set('X-Request-Id', 'put-org-1').expect(201);
    const line = lines.find((l) => l.reqId === 'put-org-1');
    expect(line).toMatchObject({ level: 'info', req: { method: 'PUT', url: '/v1/realms/acme/orgs/eng' }, res: { statusCode: 201 } });
    expect(Date.parse(line?.time as string)).toBeGreaterThan(0);
    expect(JSON.stringify(lines)).not.toContain(TEST_TOKEN);
  });

  test('checks are logged only at debug, with their request id', async () => {
    const quiet = appWithLog({ deps: h.runtime.deps }, 'info');
    await request(quiet.app).post('/v1/check').set('X-Request-Id', 'chk-1').send({ realm: 'acme', subject: 'a', permission: 'p' }).expect(200);
    expect(quiet.lines).toEqual([]);
    const chatty = appWithLog({ deps: h.runtime.deps }, 'debug');
    await request(chatty.app).post('/v1/check').set('X-Request-Id', 'chk-2').send({ realm: 'acme', subject: 'a', permission: 'p' }).expect(200);
    expect(chatty.lines).toEqual([expect.objectContaining({ level: 'debug', reqId: 'chk-2', res: { statusCode: 200 } })]);
  });

  test('ext_authz calls are decisions too: logged only at debug, counted under one route label', async () => {
    const extAuthz = readConfig({ REALMGATE_EXT_AUTHZ_CONFIG: path.join(PROJECT_ROOT, 'deploy', 'envoy', 'ext-authz.yaml') }).extAuthz!;
    const metrics = new Metrics({ deps: () => h.runtime.deps });
    const quiet = appWithLog({ deps: h.runtime.deps }, 'info', { extAuthz, metrics });
    await request(quiet.app).get('/ext-authz/orgs/eng/orders?page=2').set('x-jwt-sub', 'alice').set('X-Request-Id', 'ea-1').expect(403);
    await request(quiet.app).post('/ext-authz/orgs/eng/orders').set('x-jwt-sub', 'alice').expect(403);
    expect(quiet.lines).toEqual([]);
    const text = await metrics.registry.metrics();
    expect(text).toContain('realmgate_http_requests_total{route="/ext-authz/*",method="GET",status="403"} 1');
    expect(text).toContain('realmgate_http_requests_total{route="/ext-authz/*",method="POST",status="403"} 1');
    const chatty = appWithLog({ deps: h.runtime.deps }, 'debug', { extAuthz });
    const answer = await request(chatty.app).get('/ext-authz/orgs/eng/orders').set('x-jwt-sub', 'alice').set('X-Request-Id', 'ea-2').expect(403);
    expect(answer.headers['x-request-id']).toBe('ea-2');
    expect(chatty.lines).toEqual([expect.objectContaining({ level: 'debug', reqId: 'ea-2', res: { statusCode: 403 } })]);
  });

  test('an internal error is logged with the request id of the request that hit it, and answered without detail', async () => {
    const broken = { ...h.runtime.deps, now: (): number => { throw new Error('clock is gone'); } };
    for (const level of ['info', 'debug'] as const) {
      const { app, lines } = appWithLog({ deps: broken }, level);
      const res = await request(app).post('/v1/check').set('X-Request-Id', `boom-${level}`).send({ realm: 'acme', subject: 'a', permission: 'p' });
      expect(res.status).toBe(500);
      expect(res.body).toEqual({ error: { code: 'internal', message: 'internal error' } });
      const error = lines.find((l) => l.msg === 'internal error');
      expect(error).toMatchObject({ level: 'error', reqId: `boom-${level}`, err: { message: 'clock is gone' } });
    }
  });

  test('a 503 while the policy loads is logged at warn with its status, without a made-up error or stack', async () => {
    const { app, lines } = appWithLog({}, 'info');
    await request(app).get('/readyz').set('X-Request-Id', 'probe-1').expect(503);
    await request(app).post('/v1/check').set('X-Request-Id', 'chk-503').send({ realm: 'acme', subject: 'a', permission: 'p' }).expect(503);
    for (const reqId of ['probe-1', 'chk-503']) {
      const mine = lines.filter((l) => l.reqId === reqId);
      expect(mine).toEqual([expect.objectContaining({ level: 'warn', msg: 'request completed', res: { statusCode: 503 } })]);
      expect(mine[0]).not.toHaveProperty('err');
      expect(JSON.stringify(mine[0])).not.toContain('failed with status code');
    }
  });

  test('an internal error is logged at error once, with its real error; its access line is warn and carries no error', async () => {
    const broken = { ...h.runtime.deps, now: (): number => { throw new Error('clock is gone'); } };
    const { app, lines } = appWithLog({ deps: broken }, 'debug');
    await request(app).post('/v1/check').set('X-Request-Id', 'boom-once').send({ realm: 'acme', subject: 'a', permission: 'p' }).expect(500);
    const mine = lines.filter((l) => l.reqId === 'boom-once');
    expect(mine.filter((l) => l.level === 'error')).toEqual([expect.objectContaining({ msg: 'internal error', err: expect.objectContaining({ message: 'clock is gone' }) })]);
    expect(mine.filter((l) => l.level !== 'error')).toEqual([expect.objectContaining({ level: 'warn', res: { statusCode: 500 } })]);
    expect(mine.filter((l) => l.err !== undefined)).toHaveLength(1);
  });

  test('a 4xx is logged at info on a management route and at debug on a check, without an error', async () => {
    const { app, lines } = appWithLog({ deps: h.runtime.deps }, 'debug');
    await request(app).get('/v1/realms/nowhere').set('Authorization', `Bearer ${TEST_TOKEN}`).set('X-Request-Id', 'get-404').expect(404);
    await request(app).post('/v1/check').set('X-Request-Id', 'chk-400').send({ realm: 'acme', subject: 'a', permission: 'no spaces' }).expect(400);
    expect(lines.filter((l) => l.reqId === 'get-404')).toEqual([expect.objectContaining({ level: 'info', res: { statusCode: 404 } })]);
    expect(lines.filter((l) => l.reqId === 'chk-400')).toEqual([expect.objectContaining({ level: 'debug', res: { statusCode: 400 } })]);
    expect(lines.filter((l) => l.err !== undefined)).toEqual([]);
  });
});
