import { spawnSync } from 'node:child_process';
import pg from 'pg';

export const POSTGRES_ADMIN_URL = process.env.REALMGATE_TEST_POSTGRES_URL ?? 'postgresql://postgres@127.0.0.1:5432/test';

/** Probed once per test file, synchronously, so that a suite can be skipped at collection time. */
function probePostgres(): boolean {
  const script = `
    const pg = require('pg');
    const c = new pg.Client({ connectionString: process.argv[1], connectionTimeoutMillis: 3000 });
    c.connect().then(() => c.query('SELECT 1')).then(() => process.exit(0), () => process.exit(1));`;
  return spawnSync(process.execPath, ['-e', script, POSTGRES_ADMIN_URL], { timeout: 10_000 }).status === 0;
}

export const POSTGRES_AVAILABLE = probePostgres();

/**
 * describe() for suites that need PostgreSQL. Without it they are skipped with a message, except
 * in CI (CI=true), where they run and fail: there the PostgreSQL suites never skip.
 */
export function describeWithPostgres(name: string, body: () => void): void {
  if (POSTGRES_AVAILABLE || process.env.CI) {
    describe(name, body);
    return;
  }
  console.warn(`skipping '${name}': no PostgreSQL at ${POSTGRES_ADMIN_URL} (set REALMGATE_TEST_POSTGRES_URL)`);
  describe.skip(name, body);
}

let counter = 0;

/** A new, empty database for one test file; dropped by the returned function. */
export async function createScratchDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `realmgate_test_${process.pid}_${Date.now().toString(36)}_${counter++}`;
  const admin = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  const url = new URL(POSTGRES_ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}
