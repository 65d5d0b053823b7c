import pg from 'pg';
import { startHarness, type Harness } from '../support/harness';
import { describeWithPostgres, POSTGRES_ADMIN_URL } from '../support/postgres';

const WRITERS = 32;

/** realmgate's connections to the harness's database, as PostgreSQL counts them. */
async function connectionsOf(admin: pg.Client, h: Harness): Promise<number> {
  const database = new URL(h.config.databaseUrl as string).pathname.slice(1);
  const { rows } = await admin.query<{ n: string }>(
    "SELECT count(*) AS n FROM pg_stat_activity WHERE datname = $1 AND application_name = 'realmgate'",
    [database],
  );
  return Number(rows[0].n);
}

/**
 * Sends WRITERS requests at once and, until they are all answered, counts the connections again
 * and again. Returns the statuses and the highest count seen.
 */
async function concurrently(h: Harness, admin: pg.Client, send: (i: number) => Promise<{ status: number }>): Promise<{ statuses: number[]; peak: number }> {
  let peak = 0;
  let sending = true;
  const watcher = (async () => {
    while (sending) peak = Math.max(peak, await connectionsOf(admin, h));
  })();
  const statuses = await Promise.all(Array.from({ length: WRITERS }, async (_, i) => (await send(i)).status));
  sending = false;
  await watcher;
  peak = Math.max(peak, await connectionsOf(admin, h));
  return { statuses, peak };
}

/** Single-membership writes: they share transactions (group commit), so one connection at a time. */
const concurrentWrites = (h: Harness, admin: pg.Client) =>
  concurrently(h, admin, (i) => h.admin.put(`/v1/realms/acme/users/u${i}/memberships/eng`, { permissions: [`orders:${i}`] }));

/** Reads of the change log, each on a pooled connection of its own while it runs. */
const concurrentLogReads = (h: Harness, admin: pg.Client) => concurrently(h, admin, () => h.admin.get('/v1/realms/acme/changes?limit=1000'));

describeWithPostgres('PostgreSQL connections per sidecar', () => {
  let admin: pg.Client;

  beforeAll(async () => {
    admin = new pg.Client({ connectionString: POSTGRES_ADMIN_URL, application_name: 'realmgate-test-observer' });
    await admin.connect();
  });

  afterAll(async () => {
    await admin.end();
  });

  test('by default at most 3 (a pool of 2 and the LISTEN connection) under 32 concurrent writes or reads, which queue and all succeed', async () => {
    const h = await startHarness({ backend: 'postgres' });
    try {
      await h.admin.put('/v1/realms/acme').expect(201);
      const { statuses, peak } = await concurrentWrites(h, admin);
      expect(statuses).toEqual(Array(WRITERS).fill(201));
      expect(peak).toBeLessThanOrEqual(3);
      const reads = await concurrentLogReads(h, admin);
      expect(reads.statuses).toEqual(Array(WRITERS).fill(200));
      expect(reads.peak).toBeLessThanOrEqual(3);
      // the pool was used to its size: both pooled connections and the LISTEN one are open (idle)
      expect(await connectionsOf(admin, h)).toBe(3);
      const checks = Array.from({ length: WRITERS }, (_, i) => ({ realm: 'acme', subject: `u${i}`, org: 'eng', permission: `orders:${i}` }));
      const answered = await h.http().post('/v1/check/batch').send({ checks }).expect(200);
      expect(answered.body.results.map((r: { allowed: boolean }) => r.allowed)).toEqual(Array(WRITERS).fill(true));
    } finally {
      await h.close();
    }
  });

  test('REALMGATE_DB_POOL_SIZE=5: the count follows, 5 pooled plus the LISTEN connection', async () => {
    const h = await startHarness({ backend: 'postgres', env: { REALMGATE_DB_POOL_SIZE: '5' } });
    try {
      await h.admin.put('/v1/realms/acme').expect(201);
      const writes = await concurrentWrites(h, admin);
      expect(writes.statuses).toEqual(Array(WRITERS).fill(201));
      expect(writes.peak).toBeLessThanOrEqual(6);
      const reads = await concurrentLogReads(h, admin);
      expect(reads.statuses).toEqual(Array(WRITERS).fill(200));
      expect(reads.peak).toBe(6);
    } finally {
      await h.close();
    }
  });

  test('REALMGATE_DB_POOL_SIZE=1 still serves concurrent writes: nothing needs a second pooled connection while it holds one', async () => {
    const h = await startHarness({ backend: 'postgres', env: { REALMGATE_DB_POOL_SIZE: '1' } });
    try {
      await h.admin.put('/v1/realms/acme').expect(201);
      const { statuses, peak } = await concurrentWrites(h, admin);
      expect(statuses).toEqual(Array(WRITERS).fill(201));
      expect(peak).toBeLessThanOrEqual(2);
    } finally {
      await h.close();
    }
  });
});
