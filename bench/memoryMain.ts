/**
 * npm run bench:memory: what an idle realmgate holds in memory, and what it is made of.
 *
 * 1. Real servers (`node dist/src/main.js`, the defaults), each started alone: on PostgreSQL with
 *    an empty policy, on PGlite with an empty policy, and on PostgreSQL again after 50,000
 *    memberships were written through it (50 batches of 1,000). RSS and peak RSS from /proc after
 *    MEMORY_IDLE_SECONDS (default 10) of idleness.
 * 2. The breakdown: a fresh `node --expose-gc` process per backend that starts up stage by stage
 *    (modules, a database and one query, the runtime, the HTTP app) and reads its memory after gc
 *    at each stage (bench/idleMemoryStages.ts).
 * Results go to bench/memory-results.md and stdout.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PROJECT_ROOT } from '../src/projectRoot';
import { runChild } from './childProcess';
import { ADMIN_TOKEN, databaseUrl, dropDatabase, postgresVersion, recreateDatabase, removeDir, scratchDir, type Backend } from './databases';
import { agent, call } from './fleet/http';
import { processMemoryMiB } from './fleet/machine';
import { startSidecar } from './fleet/sidecars';
import type { MemoryStage } from './idleMemoryStages';
import { machineFacts } from './machine';
import { table, verdict, type Row } from './markdown';

const IDLE_SECONDS = Number(process.env.MEMORY_IDLE_SECONDS ?? 10);
const MEMBERSHIPS = 50_000;
const DB = 'realmgate_bench_memory';
const OUT = path.join(PROJECT_ROOT, 'bench', 'memory-results.md');
const MiB = 2 ** 20;
const mib = (bytes: number) => (bytes / MiB).toFixed(1);
const log = (s: string) => console.log(`[memory] ${s}`);
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** VmRSS and VmHWM of a process, in bytes. */
function residentOf(pid: number): { rss: number; peak: number } {
  const { rss, peak } = processMemoryMiB(pid);
  return { rss: rss * MiB, peak: peak * MiB };
}

interface ServerReading {
  what: string;
  rss: number;
  peak: number;
}

async function writeMemberships(port: number): Promise<void> {
  const via = agent(1);
  const send = async (method: string, url: string, body?: unknown) => {
    const answer = await call(via, port, method, url, body, ADMIN_TOKEN, 120_000);
    if (answer.status >= 300) throw new Error(`${method} ${url} answered ${answer.status}: ${JSON.stringify(answer.body)}`);
  };
  await send('PUT', '/v1/realms/mem');
  await send('PUT', '/v1/realms/mem/roles/reader', { permissions: ['reports.read', 'orders:r*'] });
  for (let from = 0; from < MEMBERSHIPS; from += 1000) {
    const upsert = Array.from({ length: 1000 }, (_, k) => {
      const i = from + k;
      return { user: `user-${i % 30_000}`, org: `org-${Math.floor(i / 30_000)}-${i % 997}`, roles: ['reader'], permissions: [`doc:${i}`, 'widget:*'] };
    });
    await send('POST', '/v1/realms/mem/memberships/batch', { upsert });
  }
  via.destroy();
}

/**
 * Starts a real server on a fresh database, optionally writes memberships through it, and reads its
 * memory after it idled; `afterwards` runs once it stopped, on the database it left.
 */
async function readServer(what: string, backend: 'postgres' | 'pglite', fill: boolean, afterwards?: (target: Backend) => Promise<void>): Promise<ServerReading> {
  const dataDir = scratchDir('memory-server');
  if (backend === 'postgres') await recreateDatabase(DB);
  const target: Backend = backend === 'postgres' ? { kind: 'postgres', databaseUrl: databaseUrl(DB), dataDir } : { kind: 'pglite', dataDir };
  try {
    const server = await startSidecar({ name: what, root: PROJECT_ROOT, databaseUrl: backend === 'postgres' ? databaseUrl(DB) : undefined, adminToken: ADMIN_TOKEN, dataDir, startTimeoutMs: 120_000 });
    let reading: ServerReading;
    try {
      if (fill) await writeMemberships(server.port);
      await pause(IDLE_SECONDS * 1000);
      reading = { what, ...residentOf(server.pid) };
      log(`${what}: RSS ${mib(reading.rss)} MiB, peak ${mib(reading.peak)} MiB`);
    } finally {
      await server.stop();
    }
    await afterwards?.(target);
    return reading;
  } finally {
    removeDir(dataDir);
    if (backend === 'postgres') await dropDatabase(DB);
  }
}

const stagesOn = (target: Backend) => runChild<MemoryStage[]>({ task: 'idleStages', args: { backend: target } }, { timeoutMs: 300_000 });

async function stagesOf(backend: 'postgres' | 'pglite'): Promise<MemoryStage[]> {
  const dataDir = scratchDir('memory-stages');
  if (backend === 'postgres') await recreateDatabase(DB);
  try {
    return await stagesOn(backend === 'postgres' ? { kind: 'postgres', databaseUrl: databaseUrl(DB), dataDir } : { kind: 'pglite', dataDir });
  } finally {
    removeDir(dataDir);
    if (backend === 'postgres') await dropDatabase(DB);
  }
}

function stageTable(stages: MemoryStage[]): string {
  const rows: Row[] = stages.map((s, i) => {
    const before = stages[i - 1];
    const delta = (now: number, then: number | undefined) => (then === undefined ? '' : ` (${now >= then ? '+' : ''}${mib(now - then)})`);
    return [s.stage, `${mib(s.rss)}${delta(s.rss, before?.rss)}`, `${mib(s.heapUsed)}${delta(s.heapUsed, before?.heapUsed)}`, `${mib(s.external)}${delta(s.external, before?.external)}`, mib(s.arrayBuffers)];
  });
  return table(['stage', 'RSS MiB (change)', 'heapUsed MiB (change)', 'external MiB (change)', 'arrayBuffers MiB'], rows);
}

async function main(): Promise<void> {
  const postgres = await postgresVersion();
  if (!postgres) throw new Error('no PostgreSQL answers; set BENCH_POSTGRES_URL');
  const pgIdle = await readServer('idle sidecar, PostgreSQL, empty policy', 'postgres', false);
  const pgliteIdle = await readServer('idle single process, PGlite, empty policy', 'pglite', false);
  let filledStages: MemoryStage[] = [];
  const pgFilled = await readServer(`idle sidecar, PostgreSQL, ${MEMBERSHIPS.toLocaleString('en')} memberships`, 'postgres', true, async (target) => {
    filledStages = await stagesOn(target);
  });
  const pgStages = await stagesOf('postgres');
  const pgliteStages = await stagesOf('pglite');
  const facts = machineFacts(`PostgreSQL ${postgres}`);
  const targets: Row[] = [
    ['RSS of an idle sidecar on PostgreSQL, empty policy <= 90 MiB', `${mib(pgIdle.rss)} MiB (peak ${mib(pgIdle.peak)})`, verdict(pgIdle.rss <= 90 * MiB)],
    [`RSS with ${MEMBERSHIPS.toLocaleString('en')} memberships on PostgreSQL <= 150 MiB`, `${mib(pgFilled.rss)} MiB (peak ${mib(pgFilled.peak)})`, verdict(pgFilled.rss <= 150 * MiB)],
    ['RSS of an idle single process on PGlite <= 250 MiB', `${mib(pgliteIdle.rss)} MiB (peak ${mib(pgliteIdle.peak)})`, verdict(pgliteIdle.rss <= 250 * MiB)],
  ];
  const report = [
    '# realmgate: memory of an idle process',
    '',
    `Written by \`npm run bench:memory\` (bench/memoryMain.ts) on ${facts.date}. Machine: ${facts.cpuModel}, ${facts.cpus} logical CPUs,`,
    `${(facts.totalMemory / 2 ** 30).toFixed(1)} GiB; Node ${facts.node}; ${facts.postgres}; code: ${facts.code}.`,
    '',
    '## Targets',
    '',
    `Real servers (\`node dist/src/main.js\`, default settings), each started alone on a fresh database; RSS read from /proc after ${IDLE_SECONDS} s idle`,
    `(no forced gc). The ${MEMBERSHIPS.toLocaleString('en')} memberships (30,000 users, two tags and a role each) were written through the server in batches of 1,000.`,
    '',
    table(['target', 'measured', 'verdict'], targets),
    '',
    '## What the idle RSS is made of',
    '',
    'A fresh `node --expose-gc` process per backend starts up stage by stage and reads `process.memoryUsage()` after gc at',
    'each stage; each stage keeps what the ones before it made (the database of the second stage is closed before the',
    'runtime opens its own). PGlite is PostgreSQL compiled to WebAssembly: its memory (shared buffers, catalogue) counts in',
    'RSS and arrayBuffers. Prisma 7 compiles each query shape with a WebAssembly query compiler, instantiated on first use.',
    '',
    '### PostgreSQL',
    '',
    stageTable(pgStages),
    '',
    '### PGlite',
    '',
    stageTable(pgliteStages),
    '',
    `### PostgreSQL, with the ${MEMBERSHIPS.toLocaleString('en')} memberships the server above wrote`,
    '',
    'The same stages on the database the loaded server left: the runtime stage now loads the policy (records and compiled',
    'grants). The server itself also kept what writing them took (its peak above).',
    '',
    stageTable(filledStages),
    '',
  ].join('\n');
  fs.writeFileSync(OUT, report);
  console.log(report);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
