import fs from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import pg from 'pg';
import { PrismaClient } from '../generated/prisma/client';
import { APPLICATION_NAME } from './applicationName';
import { StorageFullError } from './databaseErrors';
import { lockDataDir, type DataDirLock } from './dataDirLock';
import { createPgliteCluster } from './createPgliteCluster';
import { applyMigrations, type SqlSession } from './migrate';
import { makePrivate } from './privateFiles';

export type Tx = Omit<PrismaClient, '$connect' | '$disconnect' | '$on' | '$transaction' | '$extends'>;

export interface Database {
  readonly kind: 'pglite' | 'postgres';
  readonly prisma: PrismaClient;
  /** throws StorageFullError when a write could run the storage out of space (PGlite only) */
  assertWritable(): Promise<void>;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  /** PostgreSQL when set; otherwise embedded PGlite in dataDir */
  databaseUrl?: string;
  dataDir: string;
  /** PGlite: writes are refused while less than this many bytes are free in the data folder */
  minFreeBytes?: number;
  /** PGlite: PostgreSQL's shared_buffers in MiB; 16 unless given */
  pgliteSharedBuffersMb?: number;
  /** PostgreSQL: the connection pool's settings (see PostgresPoolOptions) */
  pool?: PostgresPoolOptions;
}

/**
 * The connections a sidecar opens to PostgreSQL: one short-lived connection for migrations at
 * start-up (closed before anything else opens), then this pool for every query and transaction,
 * plus the one connection of ChangeListener that LISTENs. At most `size + 1` at any time.
 */
export interface PostgresPoolOptions {
  /** connections in the pool; further queries wait in line for a free one */
  size: number;
  /** a connection idle this long is closed (0: never) */
  idleTimeoutMs: number;
  /** how long opening a connection, or waiting in line for one, may take before the query fails */
  connectTimeoutMs: number;
}

export const DEFAULT_POOL: PostgresPoolOptions = { size: 2, idleTimeoutMs: 10_000, connectTimeoutMs: 30_000 };

/** The one place where the backend is chosen. Pending migrations are applied before it is returned. */
export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  return options.databaseUrl
    ? openPostgres(options.databaseUrl, options.pool ?? DEFAULT_POOL)
    : openPGlite(options.dataDir, options.minFreeBytes ?? 0, options.pgliteSharedBuffersMb ?? 16);
}

async function openPGlite(dataDir: string, minFreeBytes: number, sharedBuffersMb: number): Promise<Database> {
  const lock = lockDataDir(dataDir);
  try {
    return await openLockedPGlite(dataDir, minFreeBytes, sharedBuffersMb, lock);
  } catch (err) {
    lock.release();
    throw err;
  }
}

async function openLockedPGlite(dataDir: string, minFreeBytes: number, sharedBuffersMb: number, lock: DataDirLock): Promise<Database> {
  // PGlite creates files for as long as it runs: they are the service user's alone
  process.umask(0o077);
  const dir = path.resolve(dataDir, 'pglite');
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  // shared_buffers lives in PGlite's WebAssembly memory; PostgreSQL's 128 MB default would be most
  // of an idle process, where the policy itself is held in memory anyway
  const options = { startParams: [...PGlite.defaultStartParams, '-c', `shared_buffers=${sharedBuffersMb}MB`] };
  if (!fs.existsSync(path.join(dir, 'PG_VERSION'))) await createPgliteCluster(dir, options.startParams);
  const pglite = await PGlite.create(dir, options);
  makePrivate(path.resolve(dataDir));
  const session: SqlSession = {
    exec: async (sql) => void (await pglite.exec(sql)),
    query: async (sql, params) => (await pglite.query<Record<string, unknown>>(sql, params)).rows,
  };
  await applyMigrations(session);
  const prisma = new PrismaClient({ adapter: new PrismaPGlite(pglite) });
  return {
    kind: 'pglite',
    prisma,
    // PGlite runs Postgres on this thread: a write that meets ENOSPC leaves it unable to answer
    // anything, so a write is refused while the free space is under the reserve
    assertWritable: async () => {
      const { bavail, bsize } = await fs.promises.statfs(dir);
      const free = bavail * bsize;
      if (free < minFreeBytes) throw new StorageFullError(free, minFreeBytes);
    },
    close: async () => {
      try {
        await prisma.$disconnect();
        await pglite.close();
      } finally {
        lock.release();
      }
    },
  };
}

async function openPostgres(databaseUrl: string, poolOptions: PostgresPoolOptions): Promise<Database> {
  const client = new pg.Client({
    connectionString: databaseUrl,
    application_name: APPLICATION_NAME,
    connectionTimeoutMillis: poolOptions.connectTimeoutMs,
  });
  await client.connect();
  try {
    await applyMigrations({
      exec: async (sql) => void (await client.query(sql)),
      query: async (sql, params) => (await client.query(sql, params as unknown[])).rows,
    });
  } finally {
    await client.end();
  }
  const pool = new pg.Pool({
    connectionString: databaseUrl,
    application_name: APPLICATION_NAME,
    max: poolOptions.size,
    idleTimeoutMillis: poolOptions.idleTimeoutMs,
    connectionTimeoutMillis: poolOptions.connectTimeoutMs,
  });
  // A connection lost between two queries (pg_terminate_backend, a restart) emits 'error' on its
  // client; with no listener that would end the process. The loss surfaces on the next query
  // instead, as a connection error the error handler answers with a 503.
  pool.on('error', () => undefined);
  pool.on('connect', (client) => client.on('error', () => undefined));
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool, { disposeExternalPool: true }) });
  return { kind: 'postgres', prisma, assertWritable: async () => undefined, close: () => prisma.$disconnect() };
}
