import pg from 'pg';
import { applyMigrations, readMigrations, type SqlSession } from '../../src/store/migrate';
import { createScratchDatabase, describeWithPostgres } from '../support/postgres';

function session(client: pg.Client): SqlSession {
  return {
    exec: async (sql) => void (await client.query(sql)),
    query: async (sql, params) => (await client.query(sql, params as unknown[])).rows,
  };
}

describeWithPostgres('migrations on PostgreSQL', () => {
  let db: { url: string; drop: () => Promise<void> };
  const clients: pg.Client[] = [];
  const connect = async () => {
    const c = new pg.Client({ connectionString: db.url });
    await c.connect();
    clients.push(c);
    return c;
  };

  beforeAll(async () => {
    db = await createScratchDatabase();
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.end()));
    await db?.drop();
  });

  test('sidecars starting together apply each migration exactly once', async () => {
    const sessions = await Promise.all(Array.from({ length: 5 }, connect));
    const applied = await Promise.all(sessions.map((c) => applyMigrations(session(c))));
    const names = readMigrations().map((m) => m.name);
    expect(applied.flat().sort()).toEqual(names.sort());
    const rows = (await sessions[0].query('SELECT migration_name FROM "_prisma_migrations"')).rows;
    expect(rows.map((r) => r.migration_name).sort()).toEqual(names.sort());
    expect(await applyMigrations(session(sessions[0]))).toEqual([]);
  });

  test('a migration changed after it was applied stops the start-up', async () => {
    const c = await connect();
    const changed = readMigrations().map((m) => ({ ...m, checksum: 'f'.repeat(64) }));
    await expect(applyMigrations(session(c), changed)).rejects.toThrow(/modified after it was applied/);
  });

  test('a migration that fails is rolled back and not recorded', async () => {
    const c = await connect();
    const broken = [...readMigrations(), { name: '99999999999999_broken', sql: 'CREATE TABLE ok_part (id int); SELECT nope FROM nowhere;', checksum: 'x' }];
    await expect(applyMigrations(session(c), broken)).rejects.toThrow(/nowhere/);
    const recorded = (await c.query(`SELECT 1 FROM "_prisma_migrations" WHERE migration_name = '99999999999999_broken'`)).rowCount;
    expect(recorded).toBe(0);
    const table = (await c.query(`SELECT to_regclass('ok_part') AS t`)).rows[0].t;
    expect(table).toBeNull();
  });
});
