/**
 * Side-by-side HTTP check benches: realmgate servers started from a build folder, each on its own
 * PGlite folder holding the same policy (one realm, 1000 users with a role and a direct tag, 20
 * orgs), a fixed mix of checks, and the server's CPU time per request.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { cannon, type CannonRun } from './http';

export async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export interface Server {
  name: string;
  port: number;
  child: ChildProcess;
  dataDir: string;
}

/**
 * With two CPUs or more and util-linux's taskset, each server runs on CPU 0 and this process (the
 * client, autocannon in process) on CPU 1, so that client and server never take turns on one core:
 * on a 2-CPU machine that contention, not the server's own work, made most of the spread between
 * rounds. Asked once; false elsewhere, and the runs are as before.
 */
export const pinned: boolean = (() => {
  if (os.cpus().length < 2) return false;
  try {
    execFileSync('taskset', ['-a', '-p', '-c', '1', String(process.pid)], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

export async function start(name: string, root: string, env: Record<string, string>, token: string): Promise<Server> {
  const port = await freePort();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'realmgate-obs-'));
  const logFile = fs.openSync(path.join(dataDir, 'server.log'), 'a');
  const main = path.join(root, 'dist', 'src', 'main.js');
  // taskset runs node in its own place (exec), so the pid is the server's, for cpuMicros
  const [command, args] = pinned ? ['taskset', ['-c', '0', process.execPath, main]] : [process.execPath, [main]];
  const child = spawn(command, args, {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', NODE_ENV: 'production', PORT: String(port), REALMGATE_DATA_DIR: dataDir, REALMGATE_ADMIN_TOKEN: token, REALMGATE_DEFAULT_REALM: 'acme', ...env },
    stdio: ['ignore', logFile, logFile],
  });
  fs.closeSync(logFile);
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${name} exited with ${child.exitCode}; see ${dataDir}/server.log`);
    const ready = await fetch(`http://127.0.0.1:${port}/readyz`).then((r) => r.status === 200, () => false);
    if (ready) break;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  const call = (method: string, url: string, body?: unknown) =>
    fetch(`http://127.0.0.1:${port}${url}`, { method, headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) }, body: body === undefined ? undefined : JSON.stringify(body) });
  await call('PUT', '/v1/realms/acme');
  await call('PUT', '/v1/realms/acme/roles/member', { permissions: ['orders:r', 'reports.*'] });
  const upsert = Array.from({ length: 1000 }, (_, i) => ({ user: `u${i}`, org: `org${i % 20}`, roles: ['member'], permissions: [`widget:${i}`] }));
  const written = await call('POST', '/v1/realms/acme/memberships/batch', { upsert });
  if (!written.ok) throw new Error(`${name}: populating failed with ${written.status}: ${await written.text()}`);
  return { name, port, child, dataDir };
}

export async function stop(server: Server): Promise<void> {
  const exited = new Promise((resolve) => server.child.once('exit', resolve));
  server.child.kill('SIGTERM');
  await exited;
  fs.rmSync(server.dataDir, { recursive: true, force: true });
}

/** A fixed mix: granted by role, granted by direct tag, denied (no grant), unknown user. */
export function bodies(): string[] {
  const out: string[] = [];
  for (let i = 0; i < 400; i += 1) {
    const u = (i * 37) % 1000;
    const kind = i % 4;
    const permission = kind === 0 ? 'orders:r' : kind === 1 ? `widget:${u}` : kind === 2 ? 'orders:w' : 'reports.read';
    out.push(JSON.stringify({ subject: kind === 3 && i % 8 === 3 ? `nobody${i}` : `u${u}`, org: `org${u % 20}`, permission }));
  }
  return out;
}

/** CPU time (user + system) a process has used, in microseconds, from /proc (clock ticks of 10 ms). */
export function cpuMicros(pid: number): number {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10_000;
}

export const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];


/**
 * POST /v1/check against each server in turn, round after round (so drift in the machine's load
 * falls on all of them alike), after a short warm-up: each server's runs and its CPU µs per request.
 */
export async function alternateRounds(
  servers: Server[],
  load: { rounds: number; seconds: number; connections: number },
  log: (line: string) => void,
): Promise<{ runs: Map<string, CannonRun[]>; cpu: Map<string, number[]> }> {
  const runs = new Map<string, CannonRun[]>(servers.map((s) => [s.name, []]));
  const cpu = new Map<string, number[]>(servers.map((s) => [s.name, []]));
  const work = bodies();
  for (const s of servers) await cannon({ port: s.port }, '/v1/check', work, load.connections, 3);
  for (let round = 0; round < load.rounds; round += 1) {
    for (const s of servers) {
      const before = cpuMicros(s.child.pid!);
      const run = await cannon({ port: s.port }, '/v1/check', work, load.connections, load.seconds);
      const perRequest = (cpuMicros(s.child.pid!) - before) / run.responses;
      runs.get(s.name)!.push(run);
      cpu.get(s.name)!.push(perRequest);
      log(`round ${round + 1}: ${s.name}: ${Math.round(run.reqPerSec)} req/s, p99 ${run.p99Ms.toFixed(2)} ms, ${perRequest.toFixed(1)} µs CPU per request`);
    }
  }
  return { runs, cpu };
}
