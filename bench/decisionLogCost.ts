/**
 * What the decision log costs: HTTP check throughput of this build with REALMGATE_DECISION_LOG
 * off, denied and all (to a file), side by side in one run, rounds alternating between servers.
 *
 *   npm run bench:decision-log [-- BENCH_ROUNDS=3] [BENCH_SECONDS=10]
 *
 * The same policy and check mix as bench:observability (a quarter of the checks denied). Targets:
 * `denied` at least 90% and `all` at least 70% of `off`. The result is written between markers in
 * bench/results.md and printed.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PROJECT_ROOT } from '../src/projectRoot';
import type { CannonRun } from './http';
import { alternateRounds, median, start, stop, type Server, pinned } from './sideBySide';

const settings: Record<string, string | undefined> = {
  ...process.env,
  ...Object.fromEntries(process.argv.slice(2).map((a) => a.split('=', 2) as [string, string])),
};
const ROUNDS = Number(settings.BENCH_ROUNDS ?? 3);
const SECONDS = Number(settings.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(settings.BENCH_CONNECTIONS ?? 10);
const TOKEN = 'bench-decision-log-token-01';
const MARK = ['<!-- decision-log-cost -->', '<!-- /decision-log-cost -->'];
const log = (s: string) => console.log(`[decision-log] ${s}`);

async function main(): Promise<void> {
  const logDir = fs.mkdtempSync(path.join(os.tmpdir(), 'realmgate-decisions-'));
  const modes = ['off', 'denied', 'all'] as const;
  const servers: Server[] = [];
  for (const mode of modes) {
    servers.push(await start(mode, PROJECT_ROOT, { REALMGATE_DECISION_LOG: mode, REALMGATE_DECISION_LOG_FILE: path.join(logDir, `${mode}.ndjson`) }, TOKEN));
  }
  let runs: Map<string, CannonRun[]>;
  let cpu: Map<string, number[]>;
  try {
    ({ runs, cpu: cpu } = await alternateRounds(servers, { rounds: ROUNDS, seconds: SECONDS, connections: CONNECTIONS }, log));
  } finally {
    for (const s of servers) await stop(s);
  }
  const lines = Object.fromEntries(modes.map((m) => [m, fs.existsSync(path.join(logDir, `${m}.ndjson`)) ? fs.readFileSync(path.join(logDir, `${m}.ndjson`), 'utf8').split('\n').filter(Boolean).length : 0]));
  fs.rmSync(logDir, { recursive: true, force: true });
  const base = median(runs.get('off')!.map((r) => r.reqPerSec));
  const baseCpu = median(cpu.get('off')!);
  const target: Record<string, string> = { off: '', denied: 'at least 90%', all: 'at least 70%' };
  const rows = servers.map((s) => {
    const rs = runs.get(s.name)!;
    const m = median(rs.map((r) => r.reqPerSec));
    const c = median(cpu.get(s.name)!);
    const errors = rs.reduce((n, r) => n + r.non2xx + r.errors, 0);
    return `| ${s.name} | ${rs.map((r) => Math.round(r.reqPerSec)).join(', ')} | ${Math.round(m)} | ${((m / base) * 100).toFixed(1)}% | ${c.toFixed(1)} | ${((baseCpu / c) * 100).toFixed(1)}% | ${target[s.name]} | ${lines[s.name]} | ${errors} |`;
  });
  const section = [
    MARK[0],
    '## Cost of the decision log on the check path',
    '',
    `\`npm run bench:decision-log\`, ${new Date().toISOString().slice(0, 10)}, Node ${process.version}, ${os.cpus().length} vCPU, ${Math.round(os.totalmem() / 2 ** 30)} GiB:`,
    `POST /v1/check over HTTP, autocannon with ${CONNECTIONS} connections, ${ROUNDS} rounds of ${SECONDS} s per server, alternating;`,
    pinned ? 'each server pinned to CPU 0 and the client (autocannon) to CPU 1 with taskset;' : 'servers and client sharing the CPUs (no taskset);',
    'the policy and check mix of bench:observability (one realm, 1000 memberships, a quarter of the checks denied), one server',
    'per REALMGATE_DECISION_LOG mode, logging to a file. The CPU time per request (user + system, from /proc) is the steadier',
    `measure on a shared machine; its percentage is the throughput it allows against \`off\`. Load average at the end: ${fs.readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}.`,
    '',
    '| decision log | req/s per round | median req/s | vs off | CPU µs per request | vs off | target | lines logged | non-2xx + errors |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    ...rows,
    MARK[1],
  ].join('\n');
  console.log(section);
  const out = path.join(PROJECT_ROOT, 'bench', 'results.md');
  const current = fs.readFileSync(out, 'utf8');
  const at = current.indexOf(MARK[0]);
  const end = current.indexOf(MARK[1]);
  fs.writeFileSync(out, at >= 0 && end > at ? current.slice(0, at) + section + current.slice(end + MARK[1].length) : `${current.trimEnd()}\n\n${section}\n`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
