import request from 'supertest';
import { createApp } from '../../src/app';
import { startHarness, TEST_TOKEN, type Harness } from '../support/harness';
import { expectError } from './apiErrors';

let h: Harness;

beforeAll(async () => {
  h = await startHarness({ defaultRealm: 'ops' });
  await h.admin.put('/v1/realms/ops').expect(201);
  await h.admin.put('/v1/realms/ops/users/al/memberships/o', { permissions: ['a:b'] }).expect(201);
});

afterAll(() => h.close());

const metric = (text: string, name: string): number => {
  const line = text.split('\n').find((l) => l.startsWith(`${name} `));
  if (!line) throw new Error(`metric ${name} missing`);
  return Number(line.slice(name.length + 1));
};

describe('operations', () => {
  test('GET /healthz answers 200 {status: ok} without a token', async () => {
    const res = await h.http().get('/healthz').expect(200);
    expect(res.body).toEqual({ status: 'ok' });
  });

  test('GET /readyz answers 200 ready:true with the revision and the backend', async () => {
    const res = await h.http().get('/readyz').expect(200);
    const revision = h.runtime.deps.state.revision;
    expect(res.body).toEqual({ ready: true, revision, head: revision, lag: 0, listening: true, realms: null, backend: 'pglite' });
    const write = await h.admin.put('/v1/realms/ops/users/al/membership', { permissions: ['x'] }).expect(201);
    expect((await h.http().get('/readyz').expect(200)).body.revision).toBe(write.body.revision);
  });

  test('GET /metrics is Prometheus text with realmgate_checks_total counting decisions by outcome', async () => {
    const before = await h.admin.get('/metrics').expect(200);
    expect(before.headers['content-type']).toMatch(/^text\/plain/);
    expect(before.text).toContain('# TYPE realmgate_checks_total counter');
    const allowed0 = metric(before.text, 'realmgate_checks_total{allowed="true"}');
    const denied0 = metric(before.text, 'realmgate_checks_total{allowed="false"}');

    await h.http().post('/v1/check').send({ subject: 'al', org: 'o', permission: 'a:b' }).expect(200);
    await h.http().post('/v1/check').send({ subject: 'al', org: 'o', permission: 'a:c' }).expect(200);
    await h
      .http()
      .post('/v1/check/batch')
      .send({ checks: [{ subject: 'al', org: 'o', permission: 'a:b' }, { subject: 'al', org: 'o', permission: 'a:b' }, { subject: 'zz', permission: 'a:b' }] })
      .expect(200);

    const after = await h.admin.get('/metrics').expect(200);
    expect(metric(after.text, 'realmgate_checks_total{allowed="true"}')).toBe(allowed0 + 3);
    expect(metric(after.text, 'realmgate_checks_total{allowed="false"}')).toBe(denied0 + 2);
    expect(metric(after.text, 'realmgate_ready')).toBe(1);
    expect(metric(after.text, 'realmgate_revision')).toBe(h.runtime.deps.state.revision);
    expect(metric(after.text, 'realmgate_memberships')).toBe(2);
  });

  test('a rejected check is not counted as a decision', async () => {
    const before = (await h.admin.get('/metrics').expect(200)).text;
    await h.http().post('/v1/check').send({ subject: 'al', permission: 'bad tag' }).expect(400);
    const after = (await h.admin.get('/metrics').expect(200)).text;
    expect(metric(after, 'realmgate_checks_total{allowed="false"}')).toBe(metric(before, 'realmgate_checks_total{allowed="false"}'));
  });
});

describe('readiness while behind the database', () => {
  test('/readyz is 503 lagging once more than REALMGATE_READY_MAX_LAG revisions behind, 200 at the bound', async () => {
    const deps = h.runtime.deps;
    const behind = (lag: number) =>
      createApp({
        lifecycle: {
          deps: {
            ...deps,
            config: { ...deps.config, readyMaxLag: 2 },
            fleet: { head: deps.state.revision + lag, lag, listening: true, reach: async () => false },
          },
        },
        adminToken: TEST_TOKEN,
        maxBodyBytes: 1024 * 1024,
        validateResponses: true,
      });
    const lagging = await request(behind(3)).get('/readyz').expect(503);
    expect(lagging.body).toMatchObject({ ready: false, reason: 'lagging', lag: 3, head: deps.state.revision + 3, revision: deps.state.revision });
    const atBound = await request(behind(2)).get('/readyz').expect(200);
    expect(atBound.body).toMatchObject({ ready: true, lag: 2 });
  });
});

describe('before the policy is loaded', () => {
  const internalErrors: unknown[] = [];
  const loading = createApp({
    lifecycle: {},
    adminToken: TEST_TOKEN,
    maxBodyBytes: 1024 * 1024,
    validateResponses: true,
    onInternalError: (err) => internalErrors.push(err),
  });

  test('/healthz is 200 while /readyz is 503 ready:false', async () => {
    await request(loading).get('/healthz').expect(200, { status: 'ok' });
    const res = await request(loading).get('/readyz').expect(503);
    expect(res.body).toEqual({ ready: false, reason: 'loading' });
  });

  test('/metrics reports realmgate_ready 0', async () => {
    const res = await request(loading).get('/metrics').set('Authorization', `Bearer ${TEST_TOKEN}`).expect(200);
    expect(metric(res.text, 'realmgate_ready')).toBe(0);
  });

  test('checks, reads and management answer a JSON 503 not_ready', async () => {
    expectError(await request(loading).post('/v1/check').send({ realm: 'ops', subject: 'al', permission: 'a:b' }), 503, 'not_ready');
    expectError(await request(loading).post('/v1/check/batch').send({ checks: [{ realm: 'ops', subject: 'al', permission: 'a:b' }] }), 503, 'not_ready');
    const auth = `Bearer ${TEST_TOKEN}`;
    expectError(await request(loading).get('/v1/realms/ops/users/al/permissions').set('Authorization', auth), 503, 'not_ready');
    expectError(await request(loading).get('/v1/realms/ops/orgs/o/subjects?permission=a:b').set('Authorization', auth), 503, 'not_ready');
    // a realm token cannot be verified before the token table is loaded: the route's 503, not a 401
    expectError(await request(loading).get('/v1/realms/ops/changes').set('Authorization', 'Bearer rgt_not-yet-verifiable'), 503, 'not_ready');
    expectError(await request(loading).put('/v1/realms/ops').set('Authorization', auth), 503, 'not_ready');
    expectError(await request(loading).get('/v1/realms/ops/changes').set('Authorization', auth), 503, 'not_ready');
  });

  test('input and auth are still checked first while loading', async () => {
    expectError(await request(loading).post('/v1/check').send({ realm: 'ops', subject: 'al' }), 400, 'invalid_request', 'permission');
    expectError(await request(loading).put('/v1/realms/ops'), 401, 'unauthorized');
  });
});
