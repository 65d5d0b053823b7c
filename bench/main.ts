import fs from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../src/projectRoot';
import { runChild } from './childProcess';
import {
  databaseSize,
  databaseUrl,
  dropDatabase,
  folderSize,
  postgresVersion,
  POSTGRES_ADMIN_URL,
  recreateDatabase,
  removeDir,
  scratchDir,
  type Backend,
} from './databases';
import { measureExtAuthz } from './extAuthz';
import { measureEvents } from './events';
import { measureClientOverhead } from './clientOverhead';
import { measureStall } from './stallDuringSync';
import { measureHttp, type HttpResult } from './http';
import type { InProcessArgs, InProcessResult } from './inProcess';
import type { LoadProbe } from './loadProbe';
import { machineFacts } from './machine';
import { readOptions } from './options';
import type { PopulateResult } from './populate';
import { buildQueries } from './queries';
import { waitForQuiet } from './quiet';
import { renderReport } from './report';
import type { Results, WorkloadResult } from './results';
import { targetsSection } from './targets';
import { int, sizeLabel } from './stats';
import { buildWorkload } from './workload';

const DATA_DB = 'realmgate_bench';
const EMPTY_DB = 'realmgate_bench_empty';
/** children that hold a large policy, a workload and a second enforcer get room; load probes keep node's default */
const BIG_HEAP_MB = 8192;

const started = performance.now();
const log = (message: string) => console.log(`[bench ${((performance.now() - started) / 1000).toFixed(0).padStart(5)} s] ${message}`);

async function main(): Promise<void> {
  const options = readOptions();
  const postgres = await postgresVersion();
  if (!postgres) throw new Error(`no PostgreSQL at ${POSTGRES_ADMIN_URL} (set BENCH_POSTGRES_URL): the bench needs one for its scratch databases`);
  const out = path.resolve(PROJECT_ROOT, options.out);
  const results: Results = {
    machine: machineFacts(postgres),
    options,
    baseline: [],
    workloads: [],
    http: [],
    extAuthz: [],
    problems: [],
    quiet: [],
    elapsedS: 0,
    complete: false,
  };
  const save = () => {
    results.elapsedS = (performance.now() - started) / 1000;
    fs.writeFileSync(out, renderReport(results));
  };
  /** A section that fails is noted in the report and the run goes on. */
  const attempt = async <T>(label: string, run: () => Promise<T>): Promise<T | undefined> => {
    try {
      return await run();
    } catch (err) {
      const message = err instanceof Error ? err.message.split('\n')[0] : String(err);
      log(`${label} failed: ${err instanceof Error ? err.message : String(err)}`);
      results.problems.push(`${label}: ${message}`);
      return undefined;
    } finally {
      save();
    }
  };
  const quiet = async (section: string) => {
    const note = await waitForQuiet(section, options.quietWaitS);
    results.quiet.push(note);
    if (note.waitedS > 1.5 || note.busy > 0.15) log(`${section}: waited ${note.waitedS.toFixed(0)} s for quiet, CPUs ${(note.busy * 100).toFixed(0)}% busy`);
  };
  const logDir = scratchDir('logs');
  const emptyDir = scratchDir('empty');
  log(`sizes ${options.sizes.map(sizeLabel).join(', ')}; HTTP at ${options.httpSizes.map(sizeLabel).join(', ') || 'none'}; report ${out}; server logs in ${logDir}`);

  try {
    await recreateDatabase(EMPTY_DB);
    const empty: Backend[] = [
      { kind: 'postgres', databaseUrl: databaseUrl(EMPTY_DB), dataDir: emptyDir },
      { kind: 'pglite', dataDir: emptyDir },
    ];
    await attempt('baseline (empty database)', async () => {
      // the first start migrates the empty database; the measured runs find it migrated
      for (const backend of empty) await runChild({ task: 'load', args: { backend } });
      await quiet('load, empty database');
      for (let run = 0; run < options.loadRuns; run += 1) {
        for (const backend of empty) results.baseline.push(await runChild<LoadProbe>({ task: 'load', args: { backend } }));
      }
      log(`baseline: ${results.baseline.map((b) => `${b.backend} rss ${int(b.rss / 1024 / 1024)} MiB`).join(', ')}`);
    });

    for (const size of options.sizes) {
      const workload = buildWorkload(size);
      log(`== ${int(workload.grants)} grants: ${int(workload.shape.memberships)} memberships, ${int(workload.shape.users)} users, ${workload.shape.realms} realms`);
      await recreateDatabase(DATA_DB);
      const dir = scratchDir(`w${sizeLabel(size)}`);
      const pg: Backend = { kind: 'postgres', databaseUrl: databaseUrl(DATA_DB), dataDir: dir };
      const lite: Backend = { kind: 'pglite', dataDir: dir };
      const w: WorkloadResult = { size, grants: workload.grants, shape: workload.shape, populate: [], storage: { postgres: null, pglite: null }, loads: [] };
      results.workloads.push(w);
      try {
        const written = await attempt(`writing ${sizeLabel(size)}`, async () => {
          for (const backend of [pg, lite]) {
            const p = await runChild<PopulateResult>({ task: 'populate', args: { size, backend } }, { maxOldSpaceMb: BIG_HEAP_MB });
            w.populate.push(p);
            log(`written to ${backend.kind} in ${int(p.ms)} ms (syncs ${int(p.syncMs)} ms, ${p.writes} writes)`);
          }
          w.storage = { postgres: await databaseSize(DATA_DB), pglite: folderSize(path.join(dir, 'pglite')) };
          return true;
        });
        if (!written) continue;

        await attempt(`in-process ${sizeLabel(size)}`, async () => {
          await quiet(`in-process ${sizeLabel(size)}`);
          const args: InProcessArgs = {
            size,
            backend: pg,
            queries: options.queries,
            casbinBudgetMs: options.casbinBudgetMs,
            casbinMaxSamples: options.casbinMaxSamples,
          };
          w.inProcess = await runChild<InProcessResult>({ task: 'inProcess', args }, { maxOldSpaceMb: BIG_HEAP_MB });
          const p = w.inProcess;
          log(`decide median ${int(p.decide.median)} ns p99 ${int(p.decide.p99)} ns; enforce median ${int(p.casbin.median / 1000)} µs over ${p.casbin.samples} samples`);
        });

        await attempt(`load and memory ${sizeLabel(size)}`, async () => {
          await quiet(`load and memory ${sizeLabel(size)}`);
          for (let run = 0; run < options.loadRuns; run += 1) {
            for (const backend of [pg, lite]) {
              const probe = await runChild<LoadProbe>({ task: 'load', args: { backend } });
              w.loads.push(probe);
              log(`loaded from ${backend.kind} in ${int(probe.startRuntimeMs)} ms, rss ${int(probe.rss / 1024 / 1024)} MiB`);
            }
          }
        });

        if (options.httpSizes.includes(size)) {
          await attempt(`HTTP ${sizeLabel(size)}`, async () => {
            await quiet(`HTTP ${sizeLabel(size)}`);
            log('HTTP');
            const result: HttpResult = await measureHttp(
              {
                size,
                grants: workload.grants,
                backend: pg,
                defaultRealm: workload.realms[0].name,
                singles: buildQueries(workload, 500, 11).queries,
                batches: chunk(buildQueries(workload, 20_000, 13).queries, 1000),
              },
              options.http,
              logDir,
              log,
            );
            results.http.push(result);
          });
        }

        if (options.extAuthzSizes.includes(size)) {
          await attempt(`ext_authz ${sizeLabel(size)}`, async () => {
            await quiet(`ext_authz ${sizeLabel(size)}`);
            log('ext_authz against /v1/check');
            const queries = buildQueries(workload, 2000, 17).queries;
            const w = { size, grants: workload.grants, backend: pg, defaultRealm: workload.realms[0].name, queries };
            results.extAuthz.push(await measureExtAuthz(w, options.extAuthzRequests, logDir, log));
          });
        }
      } finally {
        removeDir(dir);
      }
    }
    await quiet('events');
    await attempt('events and decision log', async () => {
      const dir = scratchDir('events');
      try {
        results.events = await measureEvents({ kind: 'pglite', dataDir: dir }, 'PGlite', logDir, log);
      } finally {
        removeDir(dir);
      }
    });
    await attempt('client overhead', async () => {
      await quiet('client overhead');
      log('client SDK against raw fetch');
      results.client = await measureClientOverhead({ log });
    });
    await attempt('checks during a large sync', async () => {
      await quiet('checks during a large sync');
      results.stall = await measureStall({ log });
    });
    results.complete = true;
  } finally {
    await dropDatabase(DATA_DB).catch(() => undefined);
    await dropDatabase(EMPTY_DB).catch(() => undefined);
    removeDir(emptyDir);
    if (results.problems.length === 0) removeDir(logDir);
    save();
    console.log(`\n${targetsSection(results)}\n`);
    log(`done: ${out}`);
  }
}

function chunk<T>(items: T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
  return chunks;
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
