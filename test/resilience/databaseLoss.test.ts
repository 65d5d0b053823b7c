import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { PROJECT_ROOT } from '../../src/projectRoot';
import { WRITE_LOCK_KEY } from '../../src/store/changeLog';
import { startHarness, type Harness } from '../support/harness';
import { describeWithPostgres, POSTGRES_ADMIN_URL } from '../support/postgres';

const MAIN = path.join(PROJECT_ROOT, 'dist', 'src', 'main.js');

/** An admin connection that names itself apart from realmgate's own. */
async function observer(): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: POSTGRES_ADMIN_URL, application_name: 'realmgate-test-observer' });
  await client.connect();
  return client;
}

describeWithPostgres('losing PostgreSQL connections', () => {
  let h: Harness;
  let admin: pg.Client;
  let database: string;

  beforeAll(async () => {
    h = await startHarness({ backend: 'postgres' });
    database = new URL(h.config.databaseUrl as string).pathname.slice(1);
    admin = await observer();
    await h.admin.put('/v1/realms/acme').expect(201);
  });

  afterAll(async () => {
    await admin.end();
    await h.close();
  });

  test('every connection of realmgate carries application_name=realmgate (pool and LISTEN client)', async () => {
    await h.admin.put('/v1/realms/acme/users/alice/memberships/eng', { permissions: ['orders:rw'] }).expect(201);
    const { rows } = await admin.query<{ application_name: string }>('SELECT application_name FROM pg_stat_activity WHERE datname = $1', [database]);
    expect(rows.length).toBeGreaterThanOrEqual(2);
    expect(new Set(rows.map((r) => r.application_name))).toEqual(new Set(['realmgate']));
  });

  test('pg_terminate_backend during writes: every write answers 2xx or a retryable 503, never a 500; writes work afterwards', async () => {
    // Hold the write lock (in realmgate's database: advisory locks belong to one) so that writes are
    // certainly inside their transactions, waiting on it, when the connections are cut; without it a
    // fast group commit may finish between two kills.
    const holder = new pg.Client({ connectionString: h.config.databaseUrl as string, application_name: 'realmgate-test-observer' });
    await holder.connect();
    await holder.query('BEGIN');
    await holder.query('SELECT pg_advisory_xact_lock($1::bigint)', [WRITE_LOCK_KEY]);
    const statuses: number[] = [];
    const bodies: unknown[] = [];
    const writes = Array.from({ length: 24 }, async (_, i) => {
      const res = await h.admin.put(`/v1/realms/acme/users/u${i}/memberships/eng`, { permissions: [`orders:${i}`] });
      statuses[i] = res.status;
      if (res.status >= 500) bodies.push(res.body);
    });
    try {
      for (let waited = 0; ; waited += 10) {
        const { rows } = await admin.query(
          "SELECT 1 FROM pg_stat_activity WHERE datname = $1 AND application_name = 'realmgate' AND wait_event_type = 'Lock'",
          [database],
        );
        if (rows.length > 0) break;
        if (waited > 10_000) throw new Error('no write reached the write lock');
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      // cut every connection of realmgate a few times while writes keep arriving and retrying
      for (let round = 0; round < 6; round++) {
        await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND application_name = $2', [database, 'realmgate']);
        await new Promise((resolve) => setImmediate(resolve));
      }
    } finally {
      await holder.query('COMMIT');
      await holder.end();
    }
    await Promise.all(writes);
    expect(statuses).toHaveLength(24);
    expect(statuses.filter((s) => s !== 200 && s !== 201 && s !== 503)).toEqual([]);
    // the writes waiting on the lock lost their connection: they were refused, retryably
    expect(statuses).toContain(503);
    for (const body of bodies) {
      expect(body).toEqual({ error: { code: 'write_unavailable', message: expect.any(String), retryable: true } });
    }
    await h.admin.put('/v1/realms/acme/users/after/memberships/eng', { permissions: ['orders:rw'] }).expect(201);
    // every write answered 201 is stored and decides checks, as does the one after
    const decided = async (subject: string, permission: string) =>
      (await h.admin.post('/v1/check', { realm: 'acme', subject, org: 'eng', permission }).expect(200)).body.allowed;
    expect(await decided('after', 'orders:rw')).toBe(true);
    for (const [i, status] of statuses.entries()) {
      if (status === 201) expect(await decided(`u${i}`, `orders:${i}`)).toBe(true);
    }
  });
});

describeWithPostgres('PostgreSQL unreachable at start-up', () => {
  test('the service retries with backoff: /healthz 200, /readyz 503 database_unreachable with the reason, each attempt logged; ready once the database answers', async () => {
    // a port that refuses connections until a forwarder to PostgreSQL listens on it
    const free = net.createServer();
    await new Promise<void>((resolve) => free.listen(0, '127.0.0.1', resolve));
    const port = (free.address() as AddressInfo).port;
    await new Promise((resolve) => free.close(resolve));
    const target = new URL(POSTGRES_ADMIN_URL);
    const url = new URL(POSTGRES_ADMIN_URL);
    url.host = `127.0.0.1:${port}`;
    url.password = 'secret-password';

    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'realmgate-retry-'));
    const child: ChildProcess = spawn(process.execPath, [MAIN], {
      env: { ...process.env, PORT: '0', DATABASE_URL: url.toString(), REALMGATE_DATA_DIR: dataDir, REALMGATE_ADMIN_TOKEN: 'retry-test-token-0123', NODE_OPTIONS: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const waiters: (() => void)[] = [];
    const collect = (c: Buffer) => {
      output += c.toString();
      waiters.splice(0).forEach((w) => w());
    };
    child.stdout?.on('data', collect);
    child.stderr?.on('data', collect);
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    const waitFor = (pattern: RegExp) =>
      new Promise<RegExpExecArray>((resolve) => {
        const look = () => {
          const m = pattern.exec(output);
          if (m) resolve(m);
          else waiters.push(look);
        };
        look();
      });
    const forwarder = net.createServer((client) => {
      const upstream = net.connect(Number(target.port || 5432), target.hostname);
      client.pipe(upstream).pipe(client);
      client.on('error', () => upstream.destroy());
      upstream.on('error', () => client.destroy());
    });
    try {
      const base = (await waitFor(/listening on (http:\/\/127\.0\.0\.1:\d+)/))[1];
      await waitFor(/database unreachable \(attempt 2\): .*ECONNREFUSED.*; retrying in 1000 ms/);
      expect(output).toMatch(/database unreachable \(attempt 1\): .*; retrying in 500 ms/);
      expect(output).not.toContain('secret-password');
      expect((await fetch(`${base}/healthz`)).status).toBe(200);
      const readyz = await fetch(`${base}/readyz`);
      expect(readyz.status).toBe(503);
      const body = (await readyz.json()) as Record<string, unknown>;
      expect(body).toMatchObject({ ready: false, reason: 'database_unreachable', error: expect.stringContaining('ECONNREFUSED') });
      expect(JSON.stringify(body)).not.toContain('secret-password');

      await new Promise<void>((resolve) => forwarder.listen(port, '127.0.0.1', resolve));
      await waitFor(/ready at revision/);
      expect((await fetch(`${base}/readyz`)).status).toBe(200);
    } finally {
      child.kill('SIGTERM');
      await exited;
      await new Promise((resolve) => forwarder.close(resolve));
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
