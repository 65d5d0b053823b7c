/**
 * npm run bench:fleet: how soon a write made through one realmgate sidecar is visible on another,
 * when three sidecars share one PostgreSQL. A benchmark, not a test: it reports, it does not judge
 * (but it says whether p99 met the target).
 *
 * It creates a scratch database on the server at FLEET_POSTGRES_URL (default
 * postgresql://postgres@127.0.0.1:5432/postgres), builds realmgate if dist/ is older than src/,
 * starts three sidecars (A, B, C: `node dist/src/main.js`, PORT=0) on that database, writes some
 * memberships, then measures, idle and with a background writer at each of FLEET_RATES writes per
 * second (default 300, then half the measured write capacity) through C and A:
 *   (a) write a membership with a new tag through A, then poll /v1/check on B (no atLeast) until it
 *       allows the tag: time from the write's start and from its answer;
 *   (b) write through A, then one /v1/check on B with atLeast = the write's revision: that check's
 *       response time (and the time from the write's start).
 * Between the idle and the loaded phases it also measures the fleet's write capacity (closed-loop
 * writers), which tells whether a loaded phase's rate was sustainable at all.
 * Results go to bench/fleet-results.md (FLEET_OUT) and to stdout. Everything it started is stopped
 * and the database dropped, also on failure or Ctrl-C.
 */
import { fork, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { agent, call, sleep } from './http';
import type { LoadWriterConfig, LoadWriterReport } from './loadWriter';
import { machine, machineCpu, processCpuMs, processMemoryMiB, type Machine } from './machine';
import { measureCapacity, type CapacityResult } from './capacity';
import { atLeastSample, pollSample, type AtLeastSample, type PollSample, type Probe } from './measure';
import { readOptions, type Options } from './options';
import { connectionsByApplication, createScratchDatabase, serverVersion, type ScratchDatabase } from './postgres';
import { render, type PhaseResult, type RunResult } from './report';
import { startSidecar, type Sidecar } from './sidecars';

const REALM = 'bench';
const TOKEN = 'fleet-bench-token-0123456789';

function projectRoot(): string {
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`no package.json above ${__dirname}`);
    dir = parent;
  }
  return dir;
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : fs.statSync(full).mtimeMs);
  }
  return newest;
}

/** Builds the service unless dist/src/main.js is newer than everything in src/ and prisma/. */
function ensureBuilt(root: string): void {
  const main = path.join(root, 'dist/src/main.js');
  const sources = Math.max(newestMtime(path.join(root, 'src')), newestMtime(path.join(root, 'prisma')));
  if (fs.existsSync(main) && fs.statSync(main).mtimeMs >= sources) return;
  console.log('bench:fleet: dist/ is missing or older than src/: npm run build');
  const built = spawnSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });
  if (built.status !== 0) throw new Error('npm run build failed');
}

/** Waits until every sidecar's /readyz says it holds at least this revision. */
async function settle(sidecars: Sidecar[], revision: number, timeoutMs = 60_000): Promise<void> {
  const via = agent(4);
  const deadline = Date.now() + timeoutMs;
  for (const s of sidecars) {
    for (;;) {
      const ready = await call(via, s.port, 'GET', '/readyz');
      if (typeof ready.body?.revision === 'number' && ready.body.revision >= revision) break;
      if (Date.now() > deadline) throw new Error(`sidecar ${s.name} did not reach revision ${revision}: ${JSON.stringify(ready.body)}`);
      await sleep(5);
    }
  }
  via.destroy();
}

async function seed(options: Options, a: Sidecar): Promise<number> {
  const via = agent(1);
  const put = async (p: string, body?: unknown) => {
    const answer = await call(via, a.port, 'PUT', p, body, TOKEN);
    if (answer.status >= 300) throw new Error(`PUT ${p} answered ${answer.status}: ${JSON.stringify(answer.body)}`);
    return answer.body.revision as number;
  };
  await put(`/v1/realms/${REALM}`);
  let revision = await put(`/v1/realms/${REALM}/roles/reader`, { permissions: ['reports.read', 'orders:r*'] });
  const CHUNK = 1000;
  for (let from = 0; from < options.seed; from += CHUNK) {
    const upsert = [];
    for (let i = from; i < Math.min(options.seed, from + CHUNK); i++) {
      upsert.push({ user: `seed-${i}`, org: `org-${i % 50}`, roles: ['reader'], permissions: [`seed:${i}`, 'widget:*'] });
    }
    const answer = await call(via, a.port, 'POST', `/v1/realms/${REALM}/memberships/batch`, { upsert }, TOKEN, 60_000);
    if (answer.status !== 200) throw new Error(`seed batch answered ${answer.status}: ${JSON.stringify(answer.body)}`);
    revision = answer.body.revision as number;
  }
  via.destroy();
  return revision;
}

interface CpuSnapshot {
  at: number;
  machine: { busy: number; total: number };
  processes: Record<string, number>;
  /** CPU time of each PostgreSQL process (backends come and go) */
  postgres: Map<number, number>;
}

function postgresCpu(): Map<number, number> {
  const cpu = new Map<number, number>();
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      if (fs.readFileSync(`/proc/${name}/comm`, 'utf8').trim().startsWith('postgres')) cpu.set(Number(name), processCpuMs(Number(name)));
    } catch {
      // gone meanwhile
    }
  }
  return cpu;
}

function cpuSnapshot(pids: Record<string, number>): CpuSnapshot {
  const processes: Record<string, number> = {};
  for (const [name, pid] of Object.entries(pids)) processes[name] = processCpuMs(pid);
  const self = process.cpuUsage();
  processes['benchmark (this process)'] = (self.user + self.system) / 1000;
  return { at: performance.now(), machine: machineCpu(), processes, postgres: postgresCpu() };
}

/** CPU used between two snapshots, as a share of one core (100 % = one core busy). */
function cpuUse(before: CpuSnapshot, after: CpuSnapshot): { machineBusyPct: number; perProcessPct: Record<string, number> } {
  const wall = after.at - before.at;
  const perProcessPct: Record<string, number> = {};
  for (const name of Object.keys(after.processes)) {
    perProcessPct[name] = ((after.processes[name] - (before.processes[name] ?? Number.NaN)) / wall) * 100;
  }
  // processes alive at the end, less what they had used at the start (a backend that ended meanwhile is missed)
  let postgres = 0;
  for (const [pid, ms] of after.postgres) postgres += Math.max(0, ms - (before.postgres.get(pid) ?? 0));
  perProcessPct['postgres (all its processes)'] = after.postgres.size ? (postgres / wall) * 100 : Number.NaN;
  const machineBusyPct = ((after.machine.busy - before.machine.busy) / (after.machine.total - before.machine.total)) * 100;
  return { machineBusyPct, perProcessPct };
}

async function runPhase(
  label: string,
  options: Options,
  probe: Probe,
  pids: Record<string, number>,
  extra: () => Record<string, number>,
): Promise<Omit<PhaseResult, 'writer'>> {
  const poll: PollSample[] = [];
  const atLeast: AtLeastSample[] = [];
  const total = options.warmup + 2 * options.samples;
  const tagPrefix = label.replace(/[^A-Za-z0-9]+/g, '-');
  let before: CpuSnapshot | undefined;
  const started = performance.now();
  let deadline = Number.POSITIVE_INFINITY;
  for (let i = 0; i < total; i++) {
    if (i === options.warmup) {
      before = cpuSnapshot({ ...pids, ...extra() });
      deadline = performance.now() + options.phaseSeconds * 1000;
    }
    // a phase ends early, after a whole pair of samples, when it runs out of time (under a load
    // the fleet cannot keep up with, each sample waits for the writes queued before it)
    if (i % 2 === 0 && performance.now() > deadline) break;
    const user = `probe-${i % 40}`;
    const tag = `probe:${tagPrefix}:${i}`;
    // the two methods alternate, so that both see the same conditions
    if (i % 2 === 0) {
      const sample = await pollSample(probe, user, tag);
      if (i >= options.warmup) poll.push(sample);
    } else {
      const sample = await atLeastSample(probe, user, tag);
      if (i >= options.warmup) atLeast.push(sample);
    }
  }
  const after = cpuSnapshot({ ...pids, ...extra() });
  return { label, poll, atLeast, seconds: (performance.now() - started) / 1000, cpu: before ? cpuUse(before, after) : undefined };
}

function startLoadWriter(config: LoadWriterConfig): Promise<{ child: ChildProcess; report: Promise<LoadWriterReport> }> {
  const child = fork(path.join(__dirname, 'loadWriter.js'), [], {
    env: { ...process.env, FLEET_LOAD_WRITER: JSON.stringify(config) },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const report = new Promise<LoadWriterReport>((resolve, reject) => {
    child.on('message', (message: { type: string; report?: LoadWriterReport }) => {
      if (message.type === 'report' && message.report) resolve(message.report);
    });
    child.once('exit', (code) => reject(new Error(`load writer exited (${code}) without a report`)));
  });
  report.catch(() => undefined);
  return new Promise((resolve, reject) => {
    child.once('message', () => resolve({ child, report }));
    child.once('error', reject);
  });
}

async function main(): Promise<void> {
  const options = readOptions();
  const root = projectRoot();
  let postgres: string;
  try {
    postgres = await serverVersion(options.postgresUrl);
  } catch (err) {
    throw new Error(`no PostgreSQL at ${options.postgresUrl} (${err instanceof Error ? err.message : String(err)}); set FLEET_POSTGRES_URL`);
  }
  ensureBuilt(root);
  const facts: Machine = machine(root, postgres);

  const sidecars: Sidecar[] = [];
  let database: ScratchDatabase | undefined;
  let loadWriter: ChildProcess | undefined;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'realmgate-fleet-'));
  let cleaned: Promise<void> | undefined;
  const cleanup = () =>
    (cleaned ??= (async () => {
      if (loadWriter && loadWriter.exitCode === null) loadWriter.kill('SIGTERM');
      await Promise.all(sidecars.map((s) => s.stop()));
      await database?.drop().catch((err: unknown) => console.error(`bench:fleet: could not drop ${database?.name}:`, err));
      fs.rmSync(dataDir, { recursive: true, force: true });
    })());
  const interrupted = (signal: string) => {
    console.error(`bench:fleet: ${signal}: stopping the sidecars and dropping the scratch database`);
    void cleanup().finally(() => process.exit(130));
  };
  process.once('SIGINT', () => interrupted('SIGINT'));
  process.once('SIGTERM', () => interrupted('SIGTERM'));

  try {
    database = await createScratchDatabase(options.postgresUrl);
    console.log(`bench:fleet: scratch database ${database.name}; starting sidecars A, B, C`);
    const started = await Promise.all(
      ['a', 'b', 'c'].map((n) =>
        startSidecar({
          name: n.toUpperCase(),
          root,
          databaseUrl: database!.url(`realmgate-fleet-${n}`),
          adminToken: TOKEN,
          dataDir: path.join(dataDir, n),
          startTimeoutMs: 60_000,
        }),
      ),
    );
    sidecars.push(...started);
    const [a, b, c] = started;
    console.log(`bench:fleet: A :${a.port} (${a.startMs} ms), B :${b.port} (${b.startMs} ms), C :${c.port} (${c.startMs} ms); seeding ${options.seed} memberships`);
    const seededAt = await seed(options, a);
    await settle(started, seededAt);

    const probe: Probe = {
      realm: REALM,
      token: TOKEN,
      writer: { port: a.port, agent: agent(1) },
      reader: { port: b.port, agent: agent(1) },
      pollIntervalMs: options.pollIntervalMs,
      timeoutMs: options.sampleTimeoutMs,
    };
    const pids = { 'sidecar A (written through)': a.pid, 'sidecar B (asked)': b.pid, 'sidecar C (load writes)': c.pid };

    console.log(`bench:fleet: idle: ${options.samples} samples per method`);
    const phases: PhaseResult[] = [await runPhase('idle', options, probe, pids, () => ({}))];

    let capacity: CapacityResult | undefined;
    if (options.capacitySeconds > 0) {
      console.log(`bench:fleet: write capacity: ${options.capacityWriters} closed-loop writers through C and A for ${options.capacitySeconds} s`);
      capacity = await measureCapacity([c.port, a.port], TOKEN, REALM, options.capacityWriters, options.capacitySeconds);
    }

    for (const wanted of options.rates) {
      // 'half': a rate the fleet can sustain, so that the phase shows propagation without a queue of writes
      if (wanted === 'half' && !capacity) continue;
      const rate = wanted === 'half' ? Math.max(1, Math.floor(capacity!.writesPerSecond / 2)) : wanted;
      console.log(`bench:fleet: under load: ${rate} writes/s through C and A, ${options.samples} samples per method`);
      const writer = await startLoadWriter({ ports: [c.port, a.port], token: TOKEN, realm: REALM, rate, maxInFlight: options.maxInFlight, maxSeconds: 1800 });
      loadWriter = writer.child;
      await sleep(2_000); // let the load reach its pace before measuring
      const phase = await runPhase(`load ${rate} w/s`, options, probe, pids, () => ({ 'load writer': writer.child.pid! }));
      writer.child.send('stop');
      phases.push({ ...phase, rate, writer: await writer.report });
      // let the fleet drain what the load left before the next phase
      const via = agent(3);
      const head = Math.max(...(await Promise.all(started.map(async (s) => (await call(via, s.port, 'GET', '/readyz')).body.head as number))));
      via.destroy();
      await settle(started, head);
    }

    // after the load: every sidecar at the same revision must hold the same effective grants. Writes
    // the load writer left in flight may still land: wait until the head stays put for a second.
    const via = agent(3);
    const headNow = async () => Math.max(...(await Promise.all(started.map(async (s) => (await call(via, s.port, 'GET', '/readyz')).body.head as number))));
    let head = await headNow();
    for (let tries = 0; tries < 120; tries++) {
      await sleep(1_000);
      const next = await headNow();
      if (next === head) break;
      head = next;
    }
    await settle(started, head);
    const connections = await connectionsByApplication(options.postgresUrl, database.name);
    const states = await Promise.all(started.map(async (s) => (await call(via, s.port, 'GET', '/v1/state', undefined, TOKEN)).body));
    via.destroy();
    probe.writer.agent.destroy();
    probe.reader.agent.destroy();

    const result: RunResult = {
      options,
      machine: facts,
      sidecars: started.map((s) => ({ name: s.name, startMs: s.startMs, memory: processMemoryMiB(s.pid), stderrLines: s.stderrLines() })),
      sidecarEnv: Object.fromEntries(Object.entries(process.env).filter(([k]) => k.startsWith('REALMGATE_') && !['REALMGATE_ADMIN_TOKEN', 'REALMGATE_DATA_DIR'].includes(k))) as Record<string, string>,
      seededAt,
      phases,
      capacity,
      connections,
      final: states.map((s, i) => ({ name: started[i].name, revision: s.revision, memberships: s.memberships, digest: s.digest })),
    };
    const markdown = render(result);
    fs.writeFileSync(path.resolve(root, options.out), markdown);
    console.log(`\n${markdown}`);
    console.log(`bench:fleet: written to ${options.out}`);
  } catch (err) {
    for (const s of sidecars) console.error(`--- sidecar ${s.name}, last lines:\n${s.tail().join('\n')}`);
    throw err;
  } finally {
    await cleanup();
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error('bench:fleet failed:', err instanceof Error ? err.message : err);
    process.exit(1);
  },
);
