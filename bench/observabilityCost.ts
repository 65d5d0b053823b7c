/**
 * What metrics and logging cost on the check path: HTTP check throughput of this build against a
 * baseline build (by default the last commit before prom-client and pino), side by side in one
 * run, plus this build with every check logged (REALMGATE_LOG_LEVEL=debug).
 *
 *   npm run bench:observability [-- BENCH_BASELINE_REF=<commit>] [BENCH_ROUNDS=3] [BENCH_SECONDS=10]
 *
 * The baseline is taken with `git archive` into a temporary folder, uses this checkout's
 * node_modules, and is built there. Both servers hold the same policy (one realm, 1000 users with
 * a role and a direct tag, 20 orgs) on their own PGlite folder. Runs alternate between servers;
 * the result is written between markers in bench/results.md and printed.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PROJECT_ROOT } from '../src/projectRoot';
import { buildBaseline } from './baselineBuild';
import type { CannonRun } from './http';
import { alternateRounds, median, start, stop, pinned } from './sideBySide';

const settings: Record<string, string | undefined> = {
  ...process.env,
  ...Object.fromEntries(process.argv.slice(2).map((a) => a.split('=', 2) as [string, string])),
};
const BASELINE_REF = settings.BENCH_BASELINE_REF ?? '8dab8f4';
const ROUNDS = Number(settings.BENCH_ROUNDS ?? 3);
const SECONDS = Number(settings.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(settings.BENCH_CONNECTIONS ?? 10);
const TOKEN = 'bench-observability-token-01';
const MARK = ['<!-- observability-cost -->', '<!-- /observability-cost -->'];
const log = (s: string) => console.log(`[observability] ${s}`);

async function main(): Promise<void> {
  const baselineDir = buildBaseline(BASELINE_REF, log);
  const servers = [
    await start(`baseline (${BASELINE_REF})`, baselineDir, {}, TOKEN),
    await start('this build, log level info', PROJECT_ROOT, { REALMGATE_LOG_LEVEL: 'info' }, TOKEN),
    await start('this build, log level debug (every check logged)', PROJECT_ROOT, { REALMGATE_LOG_LEVEL: 'debug' }, TOKEN),
  ];
  let runs: Map<string, CannonRun[]>;
  let cpuPerRequest: Map<string, number[]>;
  try {
    ({ runs, cpu: cpuPerRequest } = await alternateRounds(servers, { rounds: ROUNDS, seconds: SECONDS, connections: CONNECTIONS }, log));
  } finally {
    for (const s of servers) await stop(s);
    fs.rmSync(baselineDir, { recursive: true, force: true });
  }
  const base = median(runs.get(servers[0].name)!.map((r) => r.reqPerSec));
  const baseCpu = median(cpuPerRequest.get(servers[0].name)!);
  const rows = servers.map((s) => {
    const rs = runs.get(s.name)!;
    const m = median(rs.map((r) => r.reqPerSec));
    const p50 = median(rs.map((r) => r.p50Ms));
    const p99 = median(rs.map((r) => r.p99Ms));
    const errors = rs.reduce((n, r) => n + r.non2xx + r.errors, 0);
    const cpu = median(cpuPerRequest.get(s.name)!);
    return `| ${s.name} | ${rs.map((r) => Math.round(r.reqPerSec)).join(', ')} | ${Math.round(m)} | ${((m / base) * 100).toFixed(1)}% | ${cpu.toFixed(1)} | ${((baseCpu / cpu) * 100).toFixed(1)}% | ${p50.toFixed(2)} | ${p99.toFixed(2)} | ${errors} |`;
  });
  const section = [
    MARK[0],
    '## Cost of metrics and logging on the check path',
    '',
    `\`npm run bench:observability\`, ${new Date().toISOString().slice(0, 10)}, Node ${process.version}, ${os.cpus().length} vCPU: POST /v1/check over HTTP,`,
    `autocannon with ${CONNECTIONS} connections, ${ROUNDS} rounds of ${SECONDS} s per server, alternating; one realm, 1000 memberships,`,
    pinned ? 'each server pinned to CPU 0 and the client (autocannon) to CPU 1 with taskset;' : 'servers and client sharing the CPUs (no taskset);',
    'a mix of granted (role and direct tag) and denied checks. The baseline is the build without prom-client and pino (hand-written',
    'counters, no access log); this build times every decision into `realmgate_check_duration_seconds`, counts decisions by reason',
    'and requests by route, and echoes or makes an X-Request-Id. The percentage is the median against the baseline\'s median.',
    'The server\'s CPU time per request (user + system, from /proc) is the steadier measure on a shared machine; its',
    'percentage is the throughput it allows against the baseline\'s (baseline CPU / this CPU). Load average at the end:',
    `${fs.readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}.`,
    '',
    '| server | req/s per round | median req/s | vs baseline | CPU µs per request | vs baseline | p50 ms | p99 ms | non-2xx + errors |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    ...rows,
    MARK[1],
  ].join('\n');
  console.log(section);
  const out = path.join(PROJECT_ROOT, 'bench', 'results.md');
  const current = fs.existsSync(out) ? fs.readFileSync(out, 'utf8') : '';
  const at = current.indexOf(MARK[0]);
  const end = current.indexOf(MARK[1]);
  const next = at >= 0 && end > at ? current.slice(0, at) + section + current.slice(end + MARK[1].length) : `${current.trimEnd()}\n\n${section}\n`;
  fs.writeFileSync(out, next);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
