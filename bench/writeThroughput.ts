/**
 * npm run bench:writes: how many single-membership writes realmgate acknowledges per second, this
 * build against an earlier one (BENCH_BASELINE_REF), side by side in one run.
 *
 *   npm run bench:writes [-- BENCH_BASELINE_REF=<commit>] [BENCH_SECONDS=5] [BENCH_WRITERS=8,32] [BENCH_RATE=300] [BENCH_RATE_SECONDS=15]
 *
 * Setups, each started fresh for each build (a scratch PostgreSQL database or a new PGlite
 * folder; realm, one role and 1000 memberships written first): one process on PGlite, one sidecar
 * on PostgreSQL, three sidecars sharing one PostgreSQL. In each, closed-loop writers (each sends
 * its next PUT of a membership when the last one is answered, spread over the sidecars) for
 * BENCH_SECONDS after 2 s of warm-up, once per count in BENCH_WRITERS; with three sidecars also an
 * open-loop phase at BENCH_RATE writes/s (at most 64 in flight). Builds alternate setup by setup.
 * Results go to bench/write-results.md and stdout.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PROJECT_ROOT } from '../src/projectRoot';
import { buildBaseline } from './baselineBuild';
import { measureCapacity, type CapacityResult } from './fleet/capacity';
import { agent, call } from './fleet/http';
import { writeAtRate, type LoadWriterReport } from './fleet/loadWriter';
import { createScratchDatabase, serverVersion } from './fleet/postgres';
import { startSidecar, type Sidecar } from './fleet/sidecars';
import { machineFacts } from './machine';
import { table, verdict, type Row } from './markdown';

const settings: Record<string, string | undefined> = {
  ...process.env,
  ...Object.fromEntries(process.argv.slice(2).map((a) => a.split('=', 2) as [string, string])),
};
const BASELINE_REF = settings.BENCH_BASELINE_REF ?? 'b9d4009';
const SECONDS = Number(settings.BENCH_SECONDS ?? 5);
const WRITERS = (settings.BENCH_WRITERS ?? '8,32').split(',').map(Number);
const RATE = Number(settings.BENCH_RATE ?? 300);
const RATE_SECONDS = Number(settings.BENCH_RATE_SECONDS ?? 15);
const POSTGRES_URL = settings.FLEET_POSTGRES_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
const TOKEN = 'bench-writes-token-0123456789';
const REALM = 'bench';
const OUT = path.join(PROJECT_ROOT, 'bench', 'write-results.md');
const log = (s: string) => console.log(`[writes] ${s}`);

interface Setup {
  name: string;
  backend: 'pglite' | 'postgres';
  sidecars: number;
  openLoop: boolean;
}

const SETUPS: Setup[] = [
  { name: 'one process, PGlite', backend: 'pglite', sidecars: 1, openLoop: false },
  { name: 'one sidecar, PostgreSQL', backend: 'postgres', sidecars: 1, openLoop: false },
  { name: 'three sidecars, one PostgreSQL', backend: 'postgres', sidecars: 3, openLoop: true },
];

interface Measured {
  build: string;
  setup: Setup;
  closed: CapacityResult[];
  open?: LoadWriterReport;
}

async function seed(port: number): Promise<void> {
  const via = agent(1);
  const put = async (url: string, body?: unknown) => {
    const answer = await call(via, port, url.endsWith('batch') ? 'POST' : 'PUT', url, body, TOKEN, 60_000);
    if (answer.status >= 300) throw new Error(`${url} answered ${answer.status}: ${JSON.stringify(answer.body)}`);
  };
  await put(`/v1/realms/${REALM}`);
  await put(`/v1/realms/${REALM}/roles/reader`, { permissions: ['reports.read', 'orders:r*'] });
  const upsert = Array.from({ length: 1000 }, (_, i) => ({ user: `seed-${i}`, org: `org-${i % 50}`, roles: ['reader'], permissions: [`seed:${i}`] }));
  await put(`/v1/realms/${REALM}/memberships/batch`, { upsert });
  via.destroy();
}

async function measure(build: string, root: string, setup: Setup): Promise<Measured> {
  const scratch = setup.backend === 'postgres' ? await createScratchDatabase(POSTGRES_URL) : undefined;
  const dirs: string[] = [];
  const sidecars: Sidecar[] = [];
  try {
    for (let i = 0; i < setup.sidecars; i += 1) {
      const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'realmgate-writes-'));
      dirs.push(dataDir);
      sidecars.push(
        await startSidecar({ name: `${build} ${i}`, root, databaseUrl: scratch?.url(`realmgate-writes-${i}`), adminToken: TOKEN, dataDir, startTimeoutMs: 60_000 }),
      );
    }
    const ports = sidecars.map((s) => s.port);
    await seed(ports[0]);
    await measureCapacity(ports, TOKEN, REALM, Math.max(...WRITERS), 2);
    const closed: CapacityResult[] = [];
    for (const writers of WRITERS) {
      const result = await measureCapacity(ports, TOKEN, REALM, writers, SECONDS);
      log(`${build}, ${setup.name}, ${writers} writers: ${result.writesPerSecond.toFixed(0)} writes/s, p99 ${result.latency.p99.toFixed(1)} ms`);
      closed.push(result);
    }
    let open: LoadWriterReport | undefined;
    if (setup.openLoop) {
      open = await writeAtRate({ ports, token: TOKEN, realm: REALM, rate: RATE, maxInFlight: 64, maxSeconds: RATE_SECONDS });
      log(`${build}, ${setup.name}, ${RATE}/s offered: ${open.achievedRate.toFixed(0)} acknowledged/s, p99 ${open.latency.p99.toFixed(1)} ms`);
    }
    return { build, setup, closed, open };
  } finally {
    for (const s of sidecars) await s.stop();
    for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
    await scratch?.drop();
  }
}

function render(results: Measured[], postgres: string): string {
  const facts = machineFacts(postgres);
  const rows: Row[] = [];
  for (const r of results) {
    r.closed.forEach((c) => {
      rows.push([r.setup.name, r.build, `${c.concurrency} writers, closed loop`, c.writesPerSecond.toFixed(0), c.latency.p50.toFixed(1), c.latency.p99.toFixed(1), c.failed]);
    });
    if (r.open) {
      const o = r.open;
      rows.push([r.setup.name, r.build, `${RATE}/s offered, open loop`, o.achievedRate.toFixed(0), o.latency.p50.toFixed(1), o.latency.p99.toFixed(1), `${o.failed} (${o.skipped} not sent: 64 in flight)`]);
    }
  }
  const current = (setup: string) => results.find((r) => r.build === 'this build' && r.setup.name === setup);
  const fleet = current('three sidecars, one PostgreSQL');
  const fleet32 = fleet?.closed.find((c) => c.concurrency === 32);
  const pglite = current('one process, PGlite');
  const pglite32 = pglite?.closed.find((c) => c.concurrency === 32);
  const targets: Row[] = [
    ['single-membership writes, 3 sidecars on one PostgreSQL, 32 writers >= 1,000/s', fleet32 ? `${fleet32.writesPerSecond.toFixed(0)}/s` : 'n/a', verdict(fleet32 ? fleet32.writesPerSecond >= 1000 : null)],
    [`at ${RATE}/s offered (3 sidecars), write p99 <= 50 ms`, fleet?.open ? `${fleet.open.achievedRate.toFixed(0)}/s acknowledged, p99 ${fleet.open.latency.p99.toFixed(1)} ms` : 'n/a', verdict(fleet?.open ? fleet.open.latency.p99 <= 50 && fleet.open.achievedRate >= RATE * 0.95 : null)],
    ['single-membership writes, PGlite, 32 writers >= 300/s', pglite32 ? `${pglite32.writesPerSecond.toFixed(0)}/s` : 'n/a', verdict(pglite32 ? pglite32.writesPerSecond >= 300 : null)],
  ];
  return [
    '# realmgate: single-membership write throughput',
    '',
    `Written by \`npm run bench:writes\` (bench/writeThroughput.ts) on ${new Date().toISOString()}: this build and ${BASELINE_REF} side by side, builds`,
    'alternating setup by setup, each setup started fresh (scratch database or PGlite folder, a realm, one role, 1000 memberships).',
    `A write is \`PUT /v1/realms/${REALM}/users/{u}/memberships/{org}\` with a new tag, over 997 users and 13 orgs, answered 200 or 201;`,
    `closed loop: each writer sends its next write when its last one is answered, for ${SECONDS} s after 2 s of warm-up; open loop: a write`,
    `is due every 1/${RATE} s whatever happened to the others, for ${RATE_SECONDS} s. Latency in ms, request to answer, as the client saw it.`,
    'Sidecars run with their defaults (a pool of 2 connections, access log at info).',
    '',
    `Machine: ${facts.cpuModel}, ${facts.cpus} logical CPUs shared by the client, the sidecars and PostgreSQL; ${(facts.totalMemory / 2 ** 30).toFixed(1)} GiB; Node ${process.version}; ${postgres}; code: ${facts.code}.`,
    '',
    '## Targets',
    '',
    table(['target', 'measured (this build)', 'verdict'], targets),
    '',
    '## Results',
    '',
    table(['setup', 'build', 'load', 'writes/s', 'p50', 'p99', 'failed'], rows),
    '',
  ].join('\n');
}

async function main(): Promise<void> {
  const postgres = await serverVersion(POSTGRES_URL);
  const baselineDir = buildBaseline(BASELINE_REF, log);
  const results: Measured[] = [];
  try {
    for (const setup of SETUPS) {
      results.push(await measure(BASELINE_REF, baselineDir, setup));
      results.push(await measure('this build', PROJECT_ROOT, setup));
    }
  } finally {
    fs.rmSync(baselineDir, { recursive: true, force: true });
  }
  const report = render(results, postgres);
  fs.writeFileSync(OUT, report);
  console.log(report);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
