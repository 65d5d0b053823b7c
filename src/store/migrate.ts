import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../projectRoot';

/**
 * Applies the SQL migrations in prisma/migrations/ that the database has not seen, in name order,
 * each in its own transaction, recorded in _prisma_migrations exactly as `prisma migrate deploy`
 * records them (checksum = SHA-256 of migration.sql), so either tool can take over from the other.
 * A session-level advisory lock makes sidecars that start together apply each migration once.
 */

export interface SqlSession {
  exec(sql: string): Promise<void>;
  query(sql: string, params?: unknown[]): Promise<Record<string, unknown>[]>;
}

export const MIGRATIONS_DIR = path.join(PROJECT_ROOT, 'prisma', 'migrations');
const MIGRATION_LOCK_KEY = 72707369; // arbitrary, fixed: "realmgate migrations"

const CREATE_MIGRATIONS_TABLE = `
CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
)`;

export interface Migration {
  name: string;
  sql: string;
  checksum: string;
}

export function readMigrations(dir = MIGRATIONS_DIR): Migration[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && fs.existsSync(path.join(dir, e.name, 'migration.sql')))
    .map((e) => e.name)
    .sort()
    .map((name) => {
      const sql = fs.readFileSync(path.join(dir, name, 'migration.sql'), 'utf8');
      return { name, sql, checksum: crypto.createHash('sha256').update(sql).digest('hex') };
    });
}

/** Returns the names of the migrations it applied. */
export async function applyMigrations(session: SqlSession, migrations = readMigrations()): Promise<string[]> {
  await session.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
  try {
    await session.exec(CREATE_MIGRATIONS_TABLE);
    const rows = await session.query(
      'SELECT migration_name, checksum, finished_at FROM "_prisma_migrations" WHERE rolled_back_at IS NULL',
    );
    const recorded = new Map(rows.map((r) => [String(r.migration_name), r]));
    const applied: string[] = [];
    for (const m of migrations) {
      const row = recorded.get(m.name);
      if (row && row.finished_at === null) {
        throw new Error(`migration ${m.name} failed earlier and is not finished; resolve it before starting`);
      }
      if (row) {
        if (row.checksum !== m.checksum) {
          throw new Error(`migration ${m.name} was modified after it was applied (checksum differs)`);
        }
        continue;
      }
      await session.exec('BEGIN');
      try {
        await session.exec(m.sql);
        await session.query(
          `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, finished_at, applied_steps_count)
           VALUES ($1, $2, $3, now(), now(), 1)`,
          [crypto.randomUUID(), m.checksum, m.name],
        );
        await session.exec('COMMIT');
      } catch (err) {
        await session.exec('ROLLBACK');
        throw err;
      }
      applied.push(m.name);
    }
    return applied;
  } finally {
    await session.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
  }
}
