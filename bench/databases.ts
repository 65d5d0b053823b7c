import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { readConfig, type Config } from '../src/config';

/**
 * Where a workload lives: a scratch PostgreSQL database, or a PGlite data folder. Plain data, so it
 * can be handed to a child process.
 */
export type Backend = { kind: 'postgres'; databaseUrl: string; dataDir: string } | { kind: 'pglite'; dataDir: string };

export const ADMIN_TOKEN = 'bench-admin-token-0123456789abcdef';

/** The server to create scratch databases on; its own database is only used to create and drop them. */
export const POSTGRES_ADMIN_URL = process.env.BENCH_POSTGRES_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';

export function databaseUrl(name: string): string {
  const url = new URL(POSTGRES_ADMIN_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

async function withAdmin<T>(use: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
  await client.connect();
  try {
    return await use(client);
  } finally {
    await client.end();
  }
}

/** The server's version, or null when no PostgreSQL answers. */
export async function postgresVersion(): Promise<string | null> {
  try {
    return await withAdmin(async (c) => String((await c.query('SHOW server_version')).rows[0].server_version));
  } catch {
    return null;
  }
}

const quoted = (name: string) => `"${name.replace(/"/g, '""')}"`;

export async function recreateDatabase(name: string): Promise<void> {
  await withAdmin(async (c) => {
    await c.query(`DROP DATABASE IF EXISTS ${quoted(name)} WITH (FORCE)`);
    await c.query(`CREATE DATABASE ${quoted(name)}`);
  });
}

export async function dropDatabase(name: string): Promise<void> {
  await withAdmin(async (c) => void (await c.query(`DROP DATABASE IF EXISTS ${quoted(name)} WITH (FORCE)`)));
}

/** Table sizes of a database, for the report. */
export async function databaseSize(name: string): Promise<number> {
  return withAdmin(async (c) => Number((await c.query('SELECT pg_database_size($1) AS size', [name])).rows[0].size));
}

export function scratchDir(label: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `realmgate-bench-${label}-`));
}

export function removeDir(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
}

/** Size of a folder on disk, for the report. */
export function folderSize(dir: string): number {
  let total = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    total += entry.isDirectory() ? folderSize(full) : fs.statSync(full).size;
  }
  return total;
}

/** The environment realmgate would read for this backend. */
export function backendEnv(backend: Backend): Record<string, string> {
  return {
    REALMGATE_DATA_DIR: backend.dataDir,
    REALMGATE_ADMIN_TOKEN: ADMIN_TOKEN,
    ...(backend.kind === 'postgres' ? { DATABASE_URL: backend.databaseUrl } : {}),
  };
}

/** realmgate's Config for a backend, built by its own readConfig from an environment-like record. */
export function benchConfig(backend: Backend): Config {
  return readConfig({ HOST: '127.0.0.1', PORT: '0', ...backendEnv(backend) });
}
