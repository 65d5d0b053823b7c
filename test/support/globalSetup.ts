import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { applyMigrations, readMigrations } from '../../src/store/migrate';

/**
 * A fresh PGlite takes seconds to initialise; an existing data folder opens in a fraction of one.
 * So one folder is initialised and migrated here, once per run, and every test copies it.
 */
export default async function globalSetup(): Promise<void> {
  // names as well as contents: a migration renamed is another history to the migrator
  const key = crypto
    .createHash('sha256')
    .update(readMigrations().map((m) => `${m.name}:${m.checksum}`).join('\n'))
    .digest('hex')
    .slice(0, 16);
  const dir = path.join(os.tmpdir(), `realmgate-test-template-${key}`);
  if (!fs.existsSync(path.join(dir, 'pglite', 'PG_VERSION'))) {
    fs.rmSync(dir, { recursive: true, force: true });
    const building = `${dir}.building-${process.pid}`;
    fs.mkdirSync(path.join(building, 'pglite'), { recursive: true });
    const pglite = await PGlite.create(path.join(building, 'pglite'));
    await applyMigrations({
      exec: async (sql) => void (await pglite.exec(sql)),
      query: async (sql, params) => (await pglite.query<Record<string, unknown>>(sql, params)).rows,
    });
    await pglite.close();
    fs.renameSync(building, dir);
  }
  process.env.REALMGATE_TEST_TEMPLATE = dir;
}
