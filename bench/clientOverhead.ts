import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Realmgate } from '@realmgate/client';

/**
 * The client's cost per check over a raw fetch of the same request, both against one real
 * realmgate (embedded PGlite, compiled src/main.js) in one process, one check at a time: the
 * same body, the same answer parsed. Rounds alternate which of the two goes first; the result is
 * the median round of each.
 */
export interface ClientOverhead {
  rounds: number;
  checksPerRound: number;
  rawUs: number;
  sdkUs: number;
  /** sdk / raw - 1 */
  overhead: number;
  concurrentRawPerS: number;
  concurrentSdkPerS: number;
  /** CPU time of the calling process per check (user + system), less sensitive to a busy machine */
  rawCpuUs: number;
  sdkCpuUs: number;
  /** the 1-minute load average when the run ended */
  loadAverage: number;
}

const TOKEN = 'bench-client-admin-token-0123456789';
const COMPILED_MAIN = path.join(__dirname, '..', 'src', 'main.js');

async function startServer(dataDir: string): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, [COMPILED_MAIN], {
    env: { PATH: process.env.PATH ?? '', NODE_ENV: 'production', PORT: '0', HOST: '127.0.0.1', REALMGATE_DATA_DIR: dataDir, REALMGATE_ADMIN_TOKEN: TOKEN },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const listening = /listening on (http:\/\/\S+)/.exec(output);
      if (listening && /ready at revision/.test(output)) resolve(listening[1]);
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`realmgate exited with ${code}: ${output}`)));
  });
  return { url, child };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

export async function measureClientOverhead(options: { rounds?: number; checksPerRound?: number; log?: (s: string) => void } = {}): Promise<ClientOverhead> {
  const rounds = options.rounds ?? Number(process.env.BENCH_CLIENT_ROUNDS ?? 15);
  const checksPerRound = options.checksPerRound ?? Number(process.env.BENCH_CLIENT_CHECKS ?? 2000);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'realmgate-bench-client-'));
  const { url, child } = await startServer(dataDir);
  try {
    const client = new Realmgate({ url, token: TOKEN, realm: 'bench' });
    await client.realm().create();
    await client.realm().putRole('clerk', ['orders:*', 'reports.read']);
    await client.realm().putMembership({ user: 'alice', org: 'eng', roles: ['clerk'], permissions: ['widget:*'] });
    // the checks measured ask for the latest state, as most checks do: no atLeast in either body;
    // a generous deadline, since a busy machine must not turn the measurement into timeouts
    const sdk = new Realmgate({ url, realm: 'bench', consistency: 'minimize_latency', checkTimeoutMs: 30_000 });
    const input = { subject: 'alice', org: 'eng', permission: 'orders:rw' };
    const rawBody = JSON.stringify({ ...input, realm: 'bench' });
    const raw = async () => {
      const res = await fetch(`${url}/v1/check`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: rawBody });
      if (!res.ok) throw new Error(`raw check answered ${res.status}`);
      const decision = (await res.json()) as { allowed: boolean };
      if (!decision.allowed) throw new Error('raw check denied');
    };
    const viaSdk = async () => {
      if (!(await sdk.check(input)).allowed) throw new Error('sdk check denied');
    };
    const cpu: Record<'raw' | 'sdk', number[]> = { raw: [], sdk: [] };
    const sequential = async (fn: () => Promise<void>) => {
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      for (let i = 0; i < checksPerRound; i += 1) await fn();
      const elapsed = ((performance.now() - t0) * 1000) / checksPerRound;
      const used = process.cpuUsage(c0);
      cpu[fn === raw ? 'raw' : 'sdk'].push((used.user + used.system) / checksPerRound);
      return elapsed;
    };
    const concurrent = async (fn: () => Promise<void>, inFlight = 16, total = checksPerRound * 2) => {
      let next = 0;
      const t0 = performance.now();
      await Promise.all(
        Array.from({ length: inFlight }, async () => {
          while (next++ < total) await fn();
        }),
      );
      return total / ((performance.now() - t0) / 1000);
    };
    await sequential(raw);
    await sequential(viaSdk);
    cpu.raw.length = 0;
    cpu.sdk.length = 0;
    const rawUs: number[] = [];
    const sdkUs: number[] = [];
    const rawRate: number[] = [];
    const sdkRate: number[] = [];
    for (let r = 0; r < rounds; r += 1) {
      const pair = r % 2 === 0 ? [raw, viaSdk] : [viaSdk, raw];
      for (const fn of pair) (fn === raw ? rawUs : sdkUs).push(await sequential(fn));
      for (const fn of pair) (fn === raw ? rawRate : sdkRate).push(await concurrent(fn));
      options.log?.(`round ${r + 1}/${rounds}: raw ${rawUs[r].toFixed(1)} µs, sdk ${sdkUs[r].toFixed(1)} µs per check`);
    }
    const result = {
      rounds,
      checksPerRound,
      rawUs: median(rawUs),
      sdkUs: median(sdkUs),
      overhead: median(sdkUs) / median(rawUs) - 1,
      concurrentRawPerS: median(rawRate),
      concurrentSdkPerS: median(sdkRate),
      rawCpuUs: median(cpu.raw),
      sdkCpuUs: median(cpu.sdk),
      loadAverage: os.loadavg()[0],
    };
    return result;
  } finally {
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

/** The report's section. */
export function clientOverheadSection(r: ClientOverhead): string {
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
  return [
    '## Client SDK overhead',
    '',
    `\`@realmgate/client\` \`check()\` against a raw \`fetch\` of the same request to the same realmgate (PGlite, one realm, one`,
    `membership), in one process: ${r.rounds} rounds alternating which goes first, ${r.checksPerRound.toLocaleString('en-US')} sequential checks each, then`,
    `${(r.checksPerRound * 2).toLocaleString('en-US')} checks 16 at a time. Medians of the rounds. A check in the client calls fetch directly (no`,
    'Request object, headers built once) with an `AbortSignal.timeout` deadline, and adds its consistency, retry loop and error',
    'mapping. Target: at most 10% per check.',
    '',
    '| measure | raw fetch | @realmgate/client | overhead |',
    '| --- | --- | --- | --- |',
    `| one at a time, µs per check | ${r.rawUs.toFixed(1)} | ${r.sdkUs.toFixed(1)} | **${pct(r.overhead)}** (${(r.sdkUs - r.rawUs).toFixed(1)} µs) ${r.overhead <= 0.1 ? 'met' : 'not met'} |`,
    `| client CPU per check, µs (user + system) | ${r.rawCpuUs.toFixed(1)} | ${r.sdkCpuUs.toFixed(1)} | ${pct(r.sdkCpuUs / r.rawCpuUs - 1)} (${(r.sdkCpuUs - r.rawCpuUs).toFixed(1)} µs) |`,
    `| 16 in flight, checks/s | ${Math.round(r.concurrentRawPerS).toLocaleString('en-US')} | ${Math.round(r.concurrentSdkPerS).toLocaleString('en-US')} | ${pct(r.concurrentRawPerS / r.concurrentSdkPerS - 1)} |`,
    '',
    `Load average (1 min) at the end of the run: ${r.loadAverage.toFixed(1)} on ${os.cpus().length} CPUs; on a busy machine the wall-clock rows carry that noise, the CPU row much less.`,
    '',
  ].join('\n');
}
