/**
 * npm run bench:load: cold start and resident memory of the real server holding a large policy,
 * this build against an earlier one (BENCH_BASELINE_REF), side by side on the same database.
 *
 *   npm run bench:load [-- BENCH_BASELINE_REF=<commit>] [BENCH_LOAD_SIZE=1000000] [BENCH_LOAD_RUNS=3]
 *
 * The workload of BENCH_LOAD_SIZE grants is written once into a scratch PostgreSQL database through
 * the service (as `npm run bench` does). Then, run after run, each build's `node dist/src/main.js`
 * is started on it, builds alternating: the time from spawn to its "ready" line, and its RSS once
 * ready and again 5 s later (what it keeps holding), read from /proc. Results in
 * bench/load-results.md.
 */
import fs from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../src/projectRoot';
import { buildBaseline } from './baselineBuild';
import { runChild } from './childProcess';
import { ADMIN_TOKEN, databaseUrl, dropDatabase, postgresVersion, recreateDatabase, removeDir, scratchDir, type Backend } from './databases';
import { processMemoryMiB } from './fleet/machine';
import { startSidecar } from './fleet/sidecars';
import { machineFacts } from './machine';
import { table, type Row } from './markdown';
import type { PopulateResult } from './populate';

const settings: Record<string, string | undefined> = {
  ...process.env,
  ...Object.fromEntries(process.argv.slice(2).flatMap((a) => (/^[A-Z_]+=/.test(a) ? [a.split(/=(.*)/s).slice(0, 2)] : []))),
};
const BASELINE_REF = settings.BENCH_BASELINE_REF ?? '0e4b112';
const SIZE = Number(settings.BENCH_LOAD_SIZE ?? 1_000_000);
const RUNS = Number(settings.BENCH_LOAD_RUNS ?? 3);
const OUT = path.join(PROJECT_ROOT, 'bench', 'load-results.md');
const DATABASE = 'realmgate_bench_load';
const log = (s: string) => console.log(`[load] ${s}`);

interface Run {
  build: string;
  startMs: number;
  readyRss: number;
  settledRss: number;
}

async function measureOnce(build: string, root: string): Promise<Run> {
  const dataDir = scratchDir('load');
  try {
    const sidecar = await startSidecar({ name: build, root, databaseUrl: databaseUrl(DATABASE), adminToken: ADMIN_TOKEN, dataDir, startTimeoutMs: 120_000 });
    try {
      const readyRss = processMemoryMiB(sidecar.pid).rss;
      await new Promise((resolve) => setTimeout(resolve, 5_000));
      const settledRss = processMemoryMiB(sidecar.pid).rss;
      log(`${build}: ready in ${sidecar.startMs} ms, RSS ${readyRss.toFixed(0)} MiB, ${settledRss.toFixed(0)} MiB 5 s later`);
      return { build, startMs: sidecar.startMs, readyRss, settledRss };
    } finally {
      await sidecar.stop();
    }
  } finally {
    removeDir(dataDir);
  }
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const list = (values: number[], digits = 0) => values.map((v) => v.toLocaleString('en', { maximumFractionDigits: digits })).join(', ');

function render(runs: Run[], populated: PopulateResult, postgres: string | null): string {
  const facts = machineFacts(postgres);
  const builds = [BASELINE_REF, 'this build'];
  const of = (build: string, key: 'startMs' | 'readyRss' | 'settledRss') => runs.filter((r) => r.build === build).map((r) => r[key]);
  const rows: Row[] = builds.map((build) => [
    build,
    list(of(build, 'startMs')),
    `${median(of(build, 'startMs')).toLocaleString('en', { maximumFractionDigits: 0 })} ms`,
    list(of(build, 'readyRss')),
    list(of(build, 'settledRss')),
    `${median(of(build, 'settledRss')).toFixed(0)} MiB`,
  ]);
  const ratio = (key: 'startMs' | 'settledRss') => (median(of('this build', key)) / median(of(BASELINE_REF, key))).toFixed(2);
  return [
    '# realmgate: cold start and memory with a large policy',
    '',
    `Written by \`npm run bench:load\` (bench/loadSideBySide.ts) on ${new Date().toISOString()}: this build and ${BASELINE_REF} side by side.`,
    `The workload of ${SIZE.toLocaleString('en')} grants (${populated.writes.toLocaleString('en')} writes, memberships in whole-realm syncs) was written once`,
    `into a scratch PostgreSQL database; then each build's server (\`node dist/src/main.js\`, its defaults) was started on it ${RUNS} times,`,
    'builds alternating: spawn to its "ready" line, and its RSS (from /proc) when ready and 5 s later.',
    '',
    `Machine: ${facts.cpuModel}, ${facts.cpus} logical CPUs; ${(facts.totalMemory / 2 ** 30).toFixed(1)} GiB; Node ${process.version}; PostgreSQL ${postgres ?? '(version unknown)'}; code: ${facts.code}.`,
    '',
    table(['build', 'spawn to ready (ms), each run', 'median', 'RSS when ready (MiB)', 'RSS 5 s later (MiB)', 'median, 5 s later'], rows),
    '',
    `This build against ${BASELINE_REF}: start ${ratio('startMs')}x the time, ${ratio('settledRss')}x the resident memory (medians).`,
    '',
  ].join('\n');
}

async function main(): Promise<void> {
  const postgres = await postgresVersion();
  await recreateDatabase(DATABASE);
  const baselineDir = buildBaseline(BASELINE_REF, log);
  const populateDir = scratchDir('load-populate');
  try {
    const backend: Backend = { kind: 'postgres', databaseUrl: databaseUrl(DATABASE), dataDir: populateDir };
    log(`writing ${SIZE.toLocaleString('en')} grants`);
    const populated = await runChild<PopulateResult>({ task: 'populate', args: { size: SIZE, backend } }, { maxOldSpaceMb: 8192 });
    const runs: Run[] = [];
    for (let i = 0; i < RUNS; i += 1) {
      runs.push(await measureOnce(BASELINE_REF, baselineDir));
      runs.push(await measureOnce('this build', PROJECT_ROOT));
    }
    const report = render(runs, populated, postgres);
    fs.writeFileSync(OUT, report);
    console.log(report);
  } finally {
    fs.rmSync(baselineDir, { recursive: true, force: true });
    removeDir(populateDir);
    await dropDatabase(DATABASE).catch(() => undefined);
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
