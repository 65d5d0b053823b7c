import { Realmgate, RealmgateError, SessionClock } from '../../packages/client/src/index';
import { backoffDelay, DEFAULT_RETRY } from '../../packages/client/src/retry';
import { FakeServer, notReady } from './fakeServer';

/**
 * The client against a fake realmgate over real HTTP: what it sends (realm, atLeast for each
 * consistency), what it makes of errors, when it retries and when it must not, timeouts, fail
 * closed, batching.
 */
let server: FakeServer;
beforeEach(async () => {
  server = await new FakeServer().start();
});
afterEach(() => server.stop());

const client = (extra: ConstructorParameters<typeof Realmgate>[0] = {}) => new Realmgate({ url: server.url, realm: 'acme', token: 't0ken', retry: { baseDelayMs: 5, maxDelayMs: 50 }, ...extra });
const written = (revision: number) => ({ status: 200, body: { revision, created: true, membership: { realm: 'acme', user: 'u', org: 'eng', roles: [], permissions: [], expiresAt: null, revision } } });

describe('checks', () => {
  test('check sends the client realm, leaves org out when not given, and returns the full decision', async () => {
    server.answer({ body: { allowed: false, reason: 'no_membership', revision: 4 } });
    const decision = await client().check({ subject: 'alice', permission: 'orders:rw' });
    expect(decision).toEqual({ allowed: false, reason: 'no_membership', revision: 4 });
    expect(server.requests[0]).toMatchObject({ method: 'POST', url: '/v1/check', body: { realm: 'acme', subject: 'alice', permission: 'orders:rw' } });
    expect(server.requests[0].headers.authorization).toBe('Bearer t0ken');
    expect(server.requests[0].body).not.toHaveProperty('org');
    expect(server.requests[0].body).not.toHaveProperty('atLeast');
  });

  test('a realm named by the call wins over the client realm', async () => {
    await client().check({ realm: 'other', subject: 'alice', org: 'eng', permission: 'x' });
    expect(server.requests[0].body).toMatchObject({ realm: 'other', org: 'eng' });
  });

  test('allowed() is the boolean of the decision', async () => {
    server.answer({ body: { allowed: true, reason: 'granted', revision: 1 } }, { body: { allowed: false, reason: 'no_grant', revision: 1 } });
    const c = client();
    expect(await c.allowed({ subject: 'a', permission: 'x' })).toBe(true);
    expect(await c.allowed({ subject: 'a', permission: 'y' })).toBe(false);
  });

  test('checkMany keeps the order and splits 2500 checks into batches of 1000, 1000 and 500', async () => {
    server.fallback = (req) => ({ body: { results: req.body.checks.map((c: { permission: string }) => ({ allowed: c.permission.endsWith('0'), reason: c.permission, revision: 1 })) } });
    const inputs = Array.from({ length: 2500 }, (_, i) => ({ subject: 'alice', permission: `p${i}` }));
    const decisions = await client().checkMany(inputs);
    expect(decisions.map((d) => d.reason)).toEqual(inputs.map((i) => i.permission));
    expect(decisions.filter((d) => d.allowed)).toHaveLength(250);
    expect(server.requests.map((r) => [r.url, r.body.checks.length])).toEqual([
      ['/v1/check/batch', 1000],
      ['/v1/check/batch', 1000],
      ['/v1/check/batch', 500],
    ]);
    expect(await client().checkMany([])).toEqual([]);
  });
});

describe('consistency', () => {
  test('session (the default): checks ask atLeast the highest revision the client wrote', async () => {
    const c = client();
    server.answer(written(7), written(5));
    await c.realm().putMembership({ user: 'u', org: 'eng', permissions: ['x'] });
    await c.realm().putMembership({ user: 'u', org: 'ops', permissions: ['x'] });
    await c.check({ subject: 'u', org: 'eng', permission: 'x' });
    await c.checkMany([{ subject: 'u', org: 'eng', permission: 'x' }]).catch(() => undefined);
    expect(c.revision).toBe(7);
    expect(server.requests[2].body.atLeast).toBe(7);
    expect(server.requests[3].body.atLeast).toBe(7);
  });

  test('minimize_latency per client or per call sends no atLeast; {atLeast} sends that revision', async () => {
    const c = client({ consistency: 'minimize_latency' });
    server.answer(written(9));
    await c.realm().putMembership({ user: 'u', org: 'eng' });
    await c.check({ subject: 'u', permission: 'x' });
    await c.check({ subject: 'u', permission: 'x' }, { consistency: 'session' });
    await c.check({ subject: 'u', permission: 'x' }, { consistency: { atLeast: 3 } });
    expect(server.requests.slice(1).map((r) => r.body.atLeast)).toEqual([undefined, 9, 3]);
  });

  test('clients sharing a clock read each other writes', async () => {
    const clock = new SessionClock();
    const writer = client({ clock });
    const reader = client({ clock });
    server.answer(written(12));
    await writer.realm().putMembership({ user: 'u', org: 'eng' });
    await reader.check({ subject: 'u', org: 'eng', permission: 'x' });
    expect(server.requests[1].body.atLeast).toBe(12);
  });
});

describe('errors, retries and failing closed', () => {
  test('an error answer becomes a RealmgateError with status, code, field and retryable', async () => {
    server.answer({ status: 400, body: { error: { code: 'invalid_request', message: 'permission must match pattern', field: 'permission' } } });
    const err = await client().check({ subject: 'u', permission: 'bad tag' }).catch((e) => e);
    expect(err).toBeInstanceOf(RealmgateError);
    expect(err).toMatchObject({ status: 400, code: 'invalid_request', field: 'permission', retryable: false });
    expect(server.requests).toHaveLength(1);
  });

  test('not_ready (503) is retried until answered; the Retry-After header is honoured', async () => {
    server.answer(notReady({ 'retry-after': '1' }), notReady());
    const started = Date.now();
    const decision = await client({ checkTimeoutMs: 5000, retry: { baseDelayMs: 5, maxDelayMs: 2000 } }).check({ subject: 'u', permission: 'x' });
    expect(decision.allowed).toBe(true);
    expect(server.requests).toHaveLength(3);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
  });

  test('stale (503 with the local revision) is retried, and reported when it persists', async () => {
    const stale = { status: 503, body: { error: { code: 'stale', message: 'behind', revision: 3 } } };
    server.fallback = () => stale;
    const err = await client({ retry: { retries: 2, baseDelayMs: 1 } }).check({ subject: 'u', permission: 'x' }, { consistency: { atLeast: 9 } }).catch((e) => e);
    expect(err).toMatchObject({ status: 503, code: 'stale', revision: 3, retryable: true });
    expect(server.requests).toHaveLength(3);
  });

  test('a dropped connection is retried for a check', async () => {
    server.answer('reset');
    expect(await client().allowed({ subject: 'u', permission: 'x' })).toBe(true);
    expect(server.requests).toHaveLength(2);
  });

  test('a check that gets no answer in time throws timeout within its deadline, never a decision', async () => {
    server.fallback = () => 'hang';
    const started = Date.now();
    const err = await client({ checkTimeoutMs: 300 }).check({ subject: 'u', permission: 'x' }).catch((e) => e);
    expect(err).toMatchObject({ status: 0, code: 'timeout', retryable: true });
    expect(Date.now() - started).toBeLessThan(1500);
  });

  test('checks default to a 1 s deadline', async () => {
    server.fallback = () => 'hang';
    const started = Date.now();
    await expect(client().check({ subject: 'u', permission: 'x' })).rejects.toMatchObject({ code: 'timeout' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(Date.now() - started).toBeLessThan(2500);
  });

  test('a stopped server: check throws network_error; allowed() throws by default and denies only with onError deny', async () => {
    const url = server.url;
    await server.stop();
    const c = new Realmgate({ url, retry: { retries: 1, baseDelayMs: 1 } });
    await expect(c.check({ subject: 'u', permission: 'x' })).rejects.toMatchObject({ status: 0, code: 'network_error', retryable: true });
    await expect(c.allowed({ subject: 'u', permission: 'x' })).rejects.toBeInstanceOf(RealmgateError);
    await expect(c.allowed({ subject: 'u', permission: 'x' }, { onError: 'deny' })).resolves.toBe(false);
    server = await new FakeServer().start();
  });

  test('a membership batch is never resent after a dropped connection', async () => {
    server.answer('reset');
    await expect(client().realm().batch({ upsert: [{ user: 'u', org: 'eng' }] })).rejects.toMatchObject({ code: 'network_error' });
    expect(server.requests).toHaveLength(1);
  });

  test('a sync is never resent after a timeout', async () => {
    server.fallback = () => 'hang';
    await expect(client({ timeoutMs: 200 }).realm().sync([{ user: 'u', org: 'eng' }])).rejects.toMatchObject({ code: 'timeout' });
    expect(server.requests).toHaveLength(1);
  });

  test('a batch is resent when realmgate answered that it wrote nothing (write_unavailable, not_ready)', async () => {
    server.answer({ status: 503, body: { error: { code: 'write_unavailable', message: 'nothing was written' } } }, notReady(), { body: { revision: 4, upserted: 1, deleted: 0, unchanged: 0 } });
    const c = client();
    expect(await c.realm().batch({ upsert: [{ user: 'u', org: 'eng' }] })).toMatchObject({ revision: 4 });
    expect(server.requests).toHaveLength(3);
    expect(c.revision).toBe(4);
  });

  test('a single membership PUT (idempotent) is resent after a dropped connection, with If-Match as given', async () => {
    server.answer('reset', written(6));
    await client().realm().putMembership({ user: 'u', org: 'eng', roles: ['admin'] }, { ifMatch: 5 });
    expect(server.requests).toHaveLength(2);
    expect(server.requests[1]).toMatchObject({ method: 'PUT', url: '/v1/realms/acme/users/u/memberships/eng', body: { roles: ['admin'] } });
    expect(server.requests[1].headers['if-match']).toBe('"5"');
  });

  test('retry: false sends once', async () => {
    server.answer(notReady());
    await expect(client({ retry: false }).check({ subject: 'u', permission: 'x' })).rejects.toMatchObject({ code: 'not_ready' });
    expect(server.requests).toHaveLength(1);
  });

  test('an aborted call ends with aborted and is not retried', async () => {
    server.fallback = () => 'hang';
    const controller = new AbortController();
    const pending = client().check({ subject: 'u', permission: 'x' }, { signal: controller.signal });
    setTimeout(() => controller.abort(), 20);
    await expect(pending).rejects.toMatchObject({ code: 'aborted', retryable: false });
  });

  test('backoff doubles, stays within half and all of its step, and never exceeds the cap', () => {
    const opts = { ...DEFAULT_RETRY, baseDelayMs: 100, maxDelayMs: 1000 };
    expect([1, 2, 3].map((n) => backoffDelay(n, opts, undefined, () => 0))).toEqual([50, 100, 200]);
    expect([1, 2, 3].map((n) => backoffDelay(n, opts, undefined, () => 1))).toEqual([100, 200, 400]);
    expect(backoffDelay(10, opts, undefined, () => 1)).toBe(1000);
    expect(backoffDelay(1, opts, 0.5, () => 0)).toBe(500);
    expect(backoffDelay(1, opts, 30, () => 0)).toBe(1000);
  });
});

describe('reads and management', () => {
  test('permissions and subjects name the realm, user, org and permission in the URL', async () => {
    server.answer({ body: { realm: 'acme' } }, { body: { realm: 'acme' } });
    const c = client();
    await c.permissions('alice', { org: 'eng' });
    await c.subjects('eng', 'widget:1');
    expect(server.requests.map((r) => `${r.method} ${r.url}`)).toEqual(['GET /v1/realms/acme/users/alice/permissions?org=eng', 'GET /v1/realms/acme/orgs/eng/subjects?permission=widget%3A1']);
  });

  test('reads that need a realm fail before sending when neither the call nor the client names one', () => {
    expect(() => new Realmgate({ url: server.url }).realm()).toThrow(TypeError);
  });

  test('url and socketPath together are refused', () => {
    expect(() => new Realmgate({ url: server.url, socketPath: '/tmp/x.sock' })).toThrow(TypeError);
  });
});

describe('watch (polling the change log)', () => {
  const event = (revision: number) => ({ id: `${revision}.1`, type: 'org.created', realm: 'acme', revision, occurredAt: new Date(0).toISOString(), data: { realm: 'acme', org: `o${revision}` } });

  test('yields events in order from after, polls at the end, resumes after a 503 and a dropped connection', async () => {
    server.answer(
      { body: { events: [event(3), event(4)], next: 4 } },
      notReady(),
      'reset',
      { body: { events: [], next: 4 } },
      { body: { events: [event(6)], next: 6 } },
    );
    server.fallback = () => ({ body: { events: [], next: 6 } });
    const controller = new AbortController();
    const seen: number[] = [];
    for await (const e of client().watch({ after: 2, transport: 'poll', pollIntervalMs: 10, signal: controller.signal })) {
      seen.push(e.revision);
      if (seen.length === 3) controller.abort();
    }
    expect(seen).toEqual([3, 4, 6]);
    const afters = server.requests.map((r) => new URL(r.url, 'http://x').searchParams.get('after'));
    expect(afters.slice(0, 5)).toEqual(['2', '4', '4', '4', '4']);
  });

  test('ends with the error when the log was compacted past after (410)', async () => {
    server.answer({ status: 410, body: { error: { code: 'compacted', message: 'compacted', revision: 50 } } });
    const iterate = async () => {
      for await (const _ of client().realm('acme').watch({ after: 1, transport: 'poll' })) void _;
    };
    await expect(iterate()).rejects.toMatchObject({ status: 410, code: 'compacted', revision: 50 });
  });
});
