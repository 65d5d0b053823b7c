import os from 'node:os';
import path from 'node:path';
import fs from 'node:fs';
import { Realmgate, RealmgateError, SessionClock } from '../../packages/client/src/index';
import { Fleet, FLEET_TOKEN, type Sidecar } from '../support/fleet';
import { createScratchDatabase, describeWithPostgres } from '../support/postgres';

/**
 * The client against real realmgate processes on one PostgreSQL: over TCP and over a Unix socket,
 * management and reads, the change feed, session consistency across two sidecars, and failing
 * closed when a sidecar is stopped or gone.
 */
describeWithPostgres('client end to end: real sidecars', () => {
  let scratch: Awaited<ReturnType<typeof createScratchDatabase>>;
  let fleet: Fleet;
  let a: Sidecar;
  let b: Sidecar;
  const socketDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rg-sock-'));
  const socketPath = path.join(socketDir, 'a.sock');
  const clients: Realmgate[] = [];
  const client = (options: ConstructorParameters<typeof Realmgate>[0]) => {
    const c = new Realmgate({ token: FLEET_TOKEN, realm: 'shop', ...options });
    clients.push(c);
    return c;
  };

  beforeAll(async () => {
    scratch = await createScratchDatabase();
    fleet = new Fleet(scratch.url);
    a = fleet.add('client-a', { REALMGATE_SOCKET: socketPath });
    // b learns of writes only by notification or a slow poll: atLeast is what makes it wait
    b = fleet.add('client-b', { REALMGATE_POLL_MS: '60000' });
    await fleet.startAll();
    const admin = client({ url: a.base });
    await admin.realm().create();
    await admin.realm().putRole('clerk', ['orders:read', 'orders:write']);
  }, 180_000);

  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close()));
    try {
      await fleet?.close();
    } finally {
      await scratch?.drop();
      fs.rmSync(socketDir, { recursive: true, force: true });
    }
  }, 60_000);

  test('over TCP: write a membership, check it, read effective permissions and subjects', async () => {
    const c = client({ url: a.base });
    const written = await c.realm().putMembership({ user: 'alice', org: 'eng', roles: ['clerk'], permissions: ['widget:*'] });
    expect(written.created).toBe(true);
    expect(c.revision).toBe(written.revision);
    expect(await c.check({ subject: 'alice', org: 'eng', permission: 'orders:write' })).toMatchObject({ allowed: true, reason: 'granted', match: { role: 'clerk', grant: 'orders:write' } });
    expect(await c.allowed({ subject: 'alice', org: 'ops', permission: 'orders:write' })).toBe(false);
    const many = await c.checkMany([
      { subject: 'alice', org: 'eng', permission: 'widget:1' },
      { subject: 'alice', org: 'eng', permission: 'widget:1:2' },
      { subject: 'nobody', org: 'eng', permission: 'widget:1' },
    ]);
    expect(many.map((d) => [d.allowed, d.reason])).toEqual([
      [true, 'granted'],
      [false, 'no_grant'],
      [false, 'unknown_user'],
    ]);
    expect((await c.permissions('alice', { org: 'eng' })).permissions).toEqual(['orders:read', 'orders:write', 'widget:*']);
    expect((await c.subjects('eng', 'orders:read')).subjects.map((s) => s.user)).toEqual(['alice']);
    expect((await c.realm().memberships('alice')).memberships).toHaveLength(1);
  });

  test('over a Unix socket (REALMGATE_SOCKET): the same calls, kept alive', async () => {
    const c = client({ socketPath });
    await c.realm().putMembership({ user: 'sam', org: 'eng', permissions: ['orders:read'] });
    for (let i = 0; i < 20; i += 1) expect(await c.allowed({ subject: 'sam', org: 'eng', permission: 'orders:read' })).toBe(true);
    expect(await c.allowed({ subject: 'sam', org: 'eng', permission: 'orders:write' })).toBe(false);
    const batch = await c.realm().batch({ upsert: [{ user: 'sam', org: 'ops', permissions: ['x'] }], delete: [{ user: 'sam', org: 'eng' }] });
    expect(batch).toMatchObject({ upserted: 1, deleted: 1 });
    expect(await c.allowed({ subject: 'sam', org: 'eng', permission: 'orders:read' })).toBe(false);
  });

  test('errors from a real sidecar arrive typed: a bad tag is a 400 naming the field, an unknown role a 422', async () => {
    const c = client({ url: a.base });
    const bad = await c.check({ subject: 'alice', permission: 'no spaces' }).catch((e) => e);
    expect(bad).toBeInstanceOf(RealmgateError);
    expect(bad).toMatchObject({ status: 400, field: 'permission', retryable: false });
    await expect(c.realm().putMembership({ user: 'x', org: 'eng', roles: ['ghost'] })).rejects.toMatchObject({ status: 422, retryable: false });
  });

  test('session consistency: each write through sidecar a is seen at once by checks through sidecar b', async () => {
    const clock = new SessionClock();
    const writer = client({ url: a.base, clock });
    const reader = client({ url: b.base, clock });
    for (let i = 0; i < 15; i += 1) {
      const w = await writer.realm().putMembership({ user: `u${i}`, org: 'eng', permissions: [`orders:${i}`] });
      const d = await reader.check({ subject: `u${i}`, org: 'eng', permission: `orders:${i}` });
      expect(d.allowed).toBe(true);
      expect(d.revision).toBeGreaterThanOrEqual(w.revision);
    }
    const bulk = await writer.realm().sync([{ user: 'v1', org: 'sales', permissions: ['quota:read'] }], { org: 'sales' });
    expect((await reader.check({ subject: 'v1', org: 'sales', permission: 'quota:read' })).revision).toBeGreaterThanOrEqual(bulk.revision);
  });

  test('watch follows the change log from a revision, including writes made while it waits', async () => {
    const c = client({ url: a.base });
    const start = c.revision || (await c.realm().putOrg('watch-start')).revision;
    const controller = new AbortController();
    const seen: string[] = [];
    const following = (async () => {
      for await (const e of c.watch({ after: start, pollIntervalMs: 50, signal: controller.signal })) {
        seen.push(`${e.type}:${(e.data as { user?: string }).user ?? ''}`);
        if (seen.includes('membership.created:watched')) controller.abort();
      }
    })();
    await c.realm().putMembership({ user: 'watched', org: 'eng', permissions: ['x'] });
    await following;
    expect(seen).toContain('membership.created:watched');
  });

  test('a stopped sidecar (SIGSTOP): a check times out within its deadline and throws; onError deny denies', async () => {
    const c = client({ url: b.base, checkTimeoutMs: 400, consistency: 'minimize_latency' });
    expect(await c.allowed({ subject: 'alice', org: 'eng', permission: 'orders:read' })).toBe(true);
    await b.signal('SIGSTOP');
    try {
      const started = Date.now();
      await expect(c.check({ subject: 'alice', org: 'eng', permission: 'orders:read' })).rejects.toMatchObject({ code: 'timeout' });
      expect(Date.now() - started).toBeLessThan(1500);
      expect(await c.allowed({ subject: 'alice', org: 'eng', permission: 'orders:read' }, { onError: 'deny' })).toBe(false);
    } finally {
      await b.signal('SIGCONT');
    }
    expect(await c.allowed({ subject: 'alice', org: 'eng', permission: 'orders:read' })).toBe(true);
  });

  test('a sidecar that is gone: network_error, never a decision; it answers again once restarted', async () => {
    const c = client({ url: b.base, consistency: 'minimize_latency', retry: { retries: 2, baseDelayMs: 10 } });
    await b.kill9();
    await expect(c.check({ subject: 'alice', org: 'eng', permission: 'orders:read' })).rejects.toMatchObject({ status: 0, code: 'network_error', retryable: true });
    await b.start();
    const again = client({ url: b.base });
    expect(await again.allowed({ subject: 'alice', org: 'eng', permission: 'orders:read' })).toBe(true);
  });
});
