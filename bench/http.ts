import { fork, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import autocannon from 'autocannon';
import type { CheckQuery } from '../src/engine/decide';
import { PROJECT_ROOT } from '../src/projectRoot';
import { backendEnv, removeDir, scratchDir, type Backend } from './databases';
import { checkBody } from './queries';
import { summarize } from './stats';

export interface CannonRun {
  reqPerSec: number;
  /** milliseconds, from every response's own time */
  p50Ms: number;
  p99Ms: number;
  responses: number;
  non2xx: number;
  errors: number;
}

export interface Comparison {
  bare: CannonRun[];
  realmgate: CannonRun[];
  bestBare: CannonRun;
  bestRealmgate: CannonRun;
  ratio: number;
}

export interface HttpResult {
  size: number;
  grants: number;
  connections: number;
  durationS: number;
  /** the server's main.js spawned until /readyz answered 200 */
  spawnToReadyMs: number;
  /** the server's resident memory once ready (no forced gc) */
  serverRss: number;
  single: Comparison;
  batch: { runs: CannonRun[]; best: CannonRun; checksPerRequest: number; decisionsPerSec: number };
  socket: Comparison | { skipped: string };
}

export interface HttpOptions {
  connections: number;
  durationS: number;
  warmupS: number;
}

/** the server compiled in the same tsc run as this file (tsconfig.bench.json), so it is the code measured in-process too */
const COMPILED_SRC = path.join(__dirname, '..', 'src');
const MAIN_JS = path.join(COMPILED_SRC, 'main.js');
const BARE_JS = path.join(__dirname, 'bareServer.js');
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export type Target = { port: number } | { socketPath: string };

function get(target: Target, urlPath: string): Promise<number> {
  return new Promise((resolve) => {
    const req = http.request(
      { ...('port' in target ? { host: '127.0.0.1', port: target.port } : { socketPath: target.socketPath }), path: urlPath, method: 'GET' },
      (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      },
    );
    req.on('error', () => resolve(0));
    req.end();
  });
}

/** Whether the built server reads REALMGATE_SOCKET (the option is on its way; skipped until then). */
export function socketSupported(): boolean {
  return [path.join(COMPILED_SRC, 'config.js'), MAIN_JS].some((f) => fs.existsSync(f) && fs.readFileSync(f, 'utf8').includes('REALMGATE_SOCKET'));
}

interface Server {
  target: Target;
  process: ChildProcess;
  stop(): Promise<void>;
}

function stopper(child: ChildProcess, cleanup: () => void = () => undefined): () => Promise<void> {
  return async () => {
    if (child.exitCode === null && child.signalCode === null) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        child.once('exit', () => {
          clearTimeout(timer);
          resolve();
        });
        child.kill('SIGTERM');
      });
    }
    cleanup();
  };
}

/** The real server, node src/main.js as compiled for the bench, on a port or a Unix socket; resolves once /readyz is 200. */
export async function startRealmgate(
  backend: Backend,
  defaultRealm: string,
  logFile: string,
  socketPath?: string,
  moreEnv: Record<string, string> = {},
): Promise<Server & { spawnToReadyMs: number }> {
  const port = await freePort();
  const log = fs.openSync(logFile, 'a');
  // with PostgreSQL the data folder holds nothing that matters; a PGlite one is the database itself
  const dataDir = backend.kind === 'postgres' ? scratchDir('server') : undefined;
  const started = performance.now();
  const child = spawn(process.execPath, [MAIN_JS], {
    cwd: PROJECT_ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      NODE_ENV: 'production',
      PORT: String(port),
      HOST: '127.0.0.1',
      REALMGATE_DEFAULT_REALM: defaultRealm,
      ...backendEnv(dataDir ? { ...backend, dataDir } : backend),
      ...(socketPath ? { REALMGATE_SOCKET: socketPath } : {}),
      ...moreEnv,
    },
    stdio: ['ignore', log, log],
  });
  fs.closeSync(log);
  const target: Target = socketPath ? { socketPath } : { port };
  const deadline = Date.now() + 600_000;
  while ((await get(target, '/readyz')) !== 200) {
    if (child.exitCode !== null) throw new Error(`realmgate exited with ${child.exitCode} before it was ready (see ${logFile})`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`realmgate was not ready within 10 minutes (see ${logFile})`);
    }
    await pause(50);
  }
  return { target, process: child, spawnToReadyMs: performance.now() - started, stop: stopper(child, () => dataDir && removeDir(dataDir)) };
}

export async function startBare(socketPath?: string): Promise<Server> {
  const port = await freePort();
  const child = fork(BARE_JS, [], {
    env: { PATH: process.env.PATH ?? '', NODE_ENV: 'production', ...(socketPath ? { BARE_SOCKET: socketPath } : { BARE_PORT: String(port) }) },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  await new Promise<void>((resolve, reject) => {
    child.once('message', () => resolve());
    child.once('exit', (code) => reject(new Error(`bare express exited with ${code}`)));
  });
  return { target: socketPath ? { socketPath } : { port }, process: child, stop: stopper(child) };
}

/** Resident memory of a process from /proc, in bytes. */
export function residentBytes(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = /VmRSS:\s+(\d+)/.exec(status);
  return kb ? Number(kb[1]) * 1024 : NaN;
}

function cannonOptions(target: Target, urlPath: string): Pick<autocannon.Options, 'url' | 'socketPath'> {
  return 'port' in target
    ? { url: `http://127.0.0.1:${target.port}${urlPath}` }
    : { url: `http://localhost${urlPath}`, socketPath: target.socketPath };
}

/** One autocannon run; latencies are taken from each response (autocannon's own histogram is in whole ms). */
export function cannon(target: Target, urlPath: string, bodies: string[], connections: number, durationS: number): Promise<CannonRun> {
  const requests = bodies.map((body) => ({ method: 'POST' as const, path: urlPath, body, headers: { 'content-type': 'application/json' } }));
  const latencies: number[] = [];
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      { ...cannonOptions(target, urlPath), connections, duration: durationS, requests, timeout: 30 },
      (err: unknown, result: autocannon.Result) => {
        if (err) return reject(err);
        const s = summarize(latencies);
        resolve({
          reqPerSec: result['2xx'] / result.duration,
          p50Ms: s.median,
          p99Ms: s.p99,
          responses: latencies.length,
          non2xx: result.non2xx,
          errors: result.errors,
        });
      },
    );
    instance.on('response', (_client: unknown, statusCode: number, _bytes: number, responseTime: number) => {
      if (statusCode >= 200 && statusCode < 300) latencies.push(responseTime);
    });
  });
}

const best = (runs: CannonRun[]) => runs.reduce((a, b) => (b.reqPerSec > a.reqPerSec ? b : a));

/** Bare express and realmgate alternately, twice, after a warm-up of each; the better run of each counts. */
export async function compareSingle(
  bare: Server,
  realmgate: Server,
  bodies: string[],
  options: HttpOptions,
  log: (s: string) => void,
): Promise<Comparison> {
  const run = (server: Server, seconds: number) => cannon(server.target, '/v1/check', bodies, options.connections, seconds);
  await run(bare, options.warmupS);
  await run(realmgate, options.warmupS);
  const bareRuns: CannonRun[] = [];
  const realmgateRuns: CannonRun[] = [];
  for (let round = 0; round < 2; round += 1) {
    bareRuns.push(await run(bare, options.durationS));
    log(`  bare express: ${Math.round(bareRuns[round].reqPerSec)} req/s`);
    realmgateRuns.push(await run(realmgate, options.durationS));
    log(`  realmgate: ${Math.round(realmgateRuns[round].reqPerSec)} req/s`);
  }
  const bestBare = best(bareRuns);
  const bestRealmgate = best(realmgateRuns);
  return { bare: bareRuns, realmgate: realmgateRuns, bestBare, bestRealmgate, ratio: bestRealmgate.reqPerSec / bestBare.reqPerSec };
}

export interface HttpWorkload {
  size: number;
  grants: number;
  backend: Backend;
  defaultRealm: string;
  singles: CheckQuery[];
  batches: CheckQuery[][];
}

/** The HTTP section for one workload: single checks against bare express, batches, and the Unix socket if served. */
export async function measureHttp(w: HttpWorkload, options: HttpOptions, logDir: string, log: (s: string) => void): Promise<HttpResult> {
  const singleBodies = w.singles.map((q) => JSON.stringify(checkBody(q)));
  const batchBodies = w.batches.map((b) => JSON.stringify({ checks: b.map(checkBody) }));
  const logFile = path.join(logDir, `server-${w.size}.log`);

  const realmgate = await startRealmgate(w.backend, w.defaultRealm, logFile);
  log(`  realmgate ready in ${Math.round(realmgate.spawnToReadyMs)} ms`);
  const serverRss = residentBytes(realmgate.process.pid!);
  const bare = await startBare();
  let single: Comparison;
  let batch: HttpResult['batch'];
  try {
    single = await compareSingle(bare, realmgate, singleBodies, options, log);
    await cannon(realmgate.target, '/v1/check/batch', batchBodies, options.connections, options.warmupS);
    const runs = [];
    for (let round = 0; round < 2; round += 1) {
      runs.push(await cannon(realmgate.target, '/v1/check/batch', batchBodies, options.connections, options.durationS));
      log(`  batch: ${Math.round(runs[round].reqPerSec * w.batches[0].length)} decisions/s`);
    }
    const top = best(runs);
    batch = { runs, best: top, checksPerRequest: w.batches[0].length, decisionsPerSec: top.reqPerSec * w.batches[0].length };
  } finally {
    await bare.stop();
    await realmgate.stop();
  }

  let socket: HttpResult['socket'] = { skipped: 'the built server does not read REALMGATE_SOCKET yet' };
  if (socketSupported()) {
    const dir = scratchDir('sockets');
    const rgSocket = await startRealmgate(w.backend, w.defaultRealm, logFile, path.join(dir, 'realmgate.sock'));
    const bareSocket = await startBare(path.join(dir, 'bare.sock'));
    try {
      log('  over Unix sockets:');
      socket = await compareSingle(bareSocket, rgSocket, singleBodies, options, log);
    } finally {
      await bareSocket.stop();
      await rgSocket.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
  return {
    size: w.size,
    grants: w.grants,
    connections: options.connections,
    durationS: options.durationS,
    spawnToReadyMs: realmgate.spawnToReadyMs,
    serverRss,
    single,
    batch,
    socket,
  };
}
