import request from 'supertest';
import { createApp } from '../../src/app';
import { Metrics } from '../../src/http/metrics';
import { createLogger } from '../../src/logger';
import { startHarness, TEST_TOKEN, type Harness } from '../support/harness';

/** The value of one series in Prometheus text, or undefined when it is absent. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('GET /metrics after traffic', () => {
  let h: Harness;
  let metrics: Metrics;
  let app: ReturnType<typeof createApp>;

  beforeAll(async () => {
    h = await startHarness();
    metrics = new Metrics({ deps: () => h.runtime.deps, defaultMetrics: true, build: { version: '9.9.9', backend: 'pglite' } });
    app = createApp({ lifecycle: { deps: h.runtime.deps }, adminToken: TEST_TOKEN, maxBodyBytes: 1 << 20, metrics, logger: createLogger('silent') });
    const admin = (t: request.Test) => t.set('Authorization', `Bearer ${TEST_TOKEN}`);
    await admin(request(app).put('/v1/realms/acme')).expect(201);
    await admin(request(app).put('/v1/realms/acme/roles/viewer').send({ permissions: ['orders:r'] })).expect(201);
    await admin(request(app).put('/v1/realms/acme/users/alice/memberships/eng').send({ roles: ['viewer'] })).expect(201);
    const check = { realm: 'acme', org: 'eng' };
    await request(app).post('/v1/check').send({ ...check, subject: 'alice', permission: 'orders:r' }).expect(200);
    await request(app).post('/v1/check').send({ ...check, subject: 'alice', permission: 'orders:w' }).expect(200);
    await request(app).post('/v1/check').send({ ...check, subject: 'bob', permission: 'orders:r' }).expect(200);
    await request(app).post('/v1/check').send({ realm: 'acme', subject: 'bob', permission: 'no spaces' }).expect(400);
    await request(app)
      .post('/v1/check/batch')
      .send({ checks: [{ realm: 'acme', org: 'eng', subject: 'alice', permission: 'orders:r' }] })
      .expect(200);
    await request(app).get('/v1/nothing/here').expect(404);
  });
  afterAll(() => h.close());

  test('decisions are counted by reason and outcome', async () => {
    const text = (await request(app).get('/metrics').set('Authorization', `Bearer ${TEST_TOKEN}`).expect(200)).text;
    expect(sample(text, 'realmgate_decisions_total{allowed="true",reason="granted"}')).toBe(2);
    expect(sample(text, 'realmgate_decisions_total{allowed="false",reason="no_grant"}')).toBe(1);
    expect(sample(text, 'realmgate_decisions_total{allowed="false",reason="unknown_user"}')).toBe(1);
    expect(sample(text, 'realmgate_checks_total{allowed="true"}')).toBe(2);
    expect(sample(text, 'realmgate_checks_total{allowed="false"}')).toBe(2);
  });

  test('decision time is a histogram of every single check, and of every batch', async () => {
    const text = (await request(app).get('/metrics').set('Authorization', `Bearer ${TEST_TOKEN}`).expect(200)).text;
    expect(text).toContain('# TYPE realmgate_check_duration_seconds histogram');
    expect(sample(text, 'realmgate_check_duration_seconds_count')).toBe(3);
    expect(sample(text, 'realmgate_check_duration_seconds_bucket{le="+Inf"}')).toBe(3);
    expect(sample(text, 'realmgate_check_batch_duration_seconds_count')).toBe(1);
  });

  test('HTTP requests are counted by route template, method and status, never by raw URL', async () => {
    const text = (await request(app).get('/metrics').set('Authorization', `Bearer ${TEST_TOKEN}`).expect(200)).text;
    expect(sample(text, 'realmgate_http_requests_total{route="/v1/check",method="POST",status="200"}')).toBe(3);
    expect(sample(text, 'realmgate_http_requests_total{route="/v1/check",method="POST",status="400"}')).toBe(1);
    expect(sample(text, 'realmgate_http_requests_total{route="/v1/check/batch",method="POST",status="200"}')).toBe(1);
    expect(sample(text, 'realmgate_http_requests_total{route="/v1/realms/:realm/users/:user/memberships/:org",method="PUT",status="201"}')).toBe(1);
    expect(sample(text, 'realmgate_http_requests_total{route="unmatched",method="GET",status="404"}')).toBe(1);
    expect(text).not.toContain('alice');
    expect(text).not.toContain('/v1/nothing');
  });

  test('the web console is counted as /console/*, whatever file or view was asked for', async () => {
    const counted = new Metrics({ deps: () => h.runtime.deps });
    const withConsole = createApp({ lifecycle: { deps: h.runtime.deps }, adminToken: TEST_TOKEN, maxBodyBytes: 1 << 20, metrics: counted, logger: createLogger('silent'), console: true });
    await request(withConsole).get('/console').expect(200);
    await request(withConsole).get('/console/realms/acme/matrix').expect(200);
    await request(withConsole).get('/console/assets/nothing.js').expect(404);
    const text = (await request(withConsole).get('/metrics').set('Authorization', `Bearer ${TEST_TOKEN}`).expect(200)).text;
    expect(sample(text, 'realmgate_http_requests_total{route="/console/*",method="GET",status="200"}')).toBe(2);
    expect(sample(text, 'realmgate_http_requests_total{route="/console/*",method="GET",status="404"}')).toBe(1);
    expect(text).not.toContain('route="unmatched"');
    expect(text).not.toContain('matrix');
  });

  test('revision, head and lag are read from the running service at scrape time', async () => {
    const text = (await request(app).get('/metrics').set('Authorization', `Bearer ${TEST_TOKEN}`).expect(200)).text;
    expect(sample(text, 'realmgate_revision')).toBe(h.runtime.deps.state.revision);
    expect(sample(text, 'realmgate_head_revision')).toBe(h.runtime.deps.fleet.head);
    expect(sample(text, 'realmgate_lag_revisions')).toBe(0);
    expect(sample(text, 'realmgate_memberships')).toBe(1);
  });

  test('build info and the process and Node series are there', async () => {
    const text = (await request(app).get('/metrics').set('Authorization', `Bearer ${TEST_TOKEN}`).expect(200)).text;
    expect(sample(text, `realmgate_build_info{version="9.9.9",node_version="${process.version}",backend="pglite"}`)).toBe(1);
    expect(text).toContain('# TYPE process_cpu_user_seconds_total counter');
    expect(text).toContain('# TYPE nodejs_heap_size_used_bytes gauge');
    expect(text).toContain('# TYPE nodejs_eventloop_lag_seconds gauge');
  });

  test('each Metrics has its own registry: nothing is shared through a global one', async () => {
    const other = new Metrics();
    other.countDecision('granted');
    const text = (await other.render()).text;
    expect(sample(text, 'realmgate_decisions_total{allowed="true",reason="granted"}')).toBe(1);
    expect(text).not.toContain('process_cpu_user_seconds_total');
  });
});

describe('write duration', () => {
  test('every write is timed, committed or failed', async () => {
    const metrics = new Metrics();
    const h = await startHarness({ onWrite: (seconds, outcome) => metrics.observeWrite(seconds, outcome) });
    try {
      await h.admin.put('/v1/realms/acme').expect(201);
      await h.admin.put('/v1/realms/acme/users/alice/memberships/eng', { roles: ['missing'] }).expect(422);
      const text = (await metrics.render()).text;
      expect(text).toContain('# TYPE realmgate_write_duration_seconds histogram');
      expect(sample(text, 'realmgate_write_duration_seconds_count{outcome="committed"}')).toBeGreaterThanOrEqual(1);
      expect(sample(text, 'realmgate_write_duration_seconds_count{outcome="failed"}')).toBe(1);
    } finally {
      await h.close();
    }
  });
});
