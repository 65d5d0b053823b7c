import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startHarness, type Harness } from '../support/harness';

/**
 * PGlite's data folder on a small tmpfs that the test fills up. Mounting needs root (CI runs as
 * root); elsewhere the suite is skipped with a message, except under CI=true, where it must run.
 */
const MOUNT = fs.mkdtempSync(path.join(os.tmpdir(), 'realmgate-tmpfs-'));
const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=96m,mode=0700', 'tmpfs', MOUNT], { encoding: 'utf8' });
const MOUNTED = mounted.status === 0;
const MiB = 1024 * 1024;
const RESERVE = 16 * MiB;

const describeOnTmpfs = MOUNTED || process.env.CI ? describe : describe.skip;
if (!MOUNTED) console.warn(`skipping the disk-full suite: cannot mount a tmpfs here (${(mounted.stderr || mounted.error?.message || '').trim()})`);

const free = () => {
  const { bavail, bsize } = fs.statfsSync(MOUNT);
  return bavail * bsize;
};

describeOnTmpfs('a full disk under PGlite', () => {
  let h: Harness;
  const filler = path.join(MOUNT, 'filler');

  beforeAll(async () => {
    expect(MOUNTED).toBe(true);
    h = await startHarness({ dataDir: path.join(MOUNT, 'data'), env: { REALMGATE_MIN_FREE_BYTES: String(RESERVE) } });
    await h.admin.put('/v1/realms/acme').expect(201);
    await h.admin.put('/v1/realms/acme/users/alice/memberships/eng', { permissions: ['orders:rw'] }).expect(201);
  });

  afterAll(async () => {
    await h?.close();
    if (MOUNTED) spawnSync('umount', [MOUNT]);
    fs.rmSync(MOUNT, { recursive: true, force: true });
  });

  test('a write that cannot be stored is a retryable 503 at once; checks, health and reads go on; writes work again once space is back, without a restart', async () => {
    // leave less than the reserve free
    fs.writeFileSync(filler, Buffer.alloc(free() - RESERVE / 2));
    expect(free()).toBeLessThan(RESERVE);

    const started = Date.now();
    const refused = await h.admin.put('/v1/realms/acme/users/bob/memberships/eng', { permissions: ['orders:read'] });
    expect(Date.now() - started).toBeLessThan(5000);
    expect(refused.status).toBe(503);
    expect(refused.body).toEqual({ error: { code: 'write_unavailable', message: expect.stringContaining('full'), retryable: true } });

    await h.http().get('/healthz').expect(200);
    await h.http().get('/readyz').expect(200);
    const check = await h.http().post('/v1/check').send({ realm: 'acme', subject: 'alice', org: 'eng', permission: 'orders:rw' }).expect(200);
    expect(check.body.allowed).toBe(true);
    const held = await h.admin.get('/v1/realms/acme/users/alice/memberships').expect(200);
    expect(JSON.stringify(held.body)).toContain('orders:rw');
    const bob = await h.http().post('/v1/check').send({ realm: 'acme', subject: 'bob', org: 'eng', permission: 'orders:read' }).expect(200);
    expect(bob.body).toMatchObject({ allowed: false, reason: 'unknown_user' });

    fs.rmSync(filler);
    await h.admin.put('/v1/realms/acme/users/bob/memberships/eng', { permissions: ['orders:read'] }).expect(201);
    const now = await h.http().post('/v1/check').send({ realm: 'acme', subject: 'bob', org: 'eng', permission: 'orders:read' }).expect(200);
    expect(now.body.allowed).toBe(true);
  });
});
