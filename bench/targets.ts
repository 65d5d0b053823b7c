import { duration, int, sizeLabel } from './stats';
import { ms, pct, ratio, table, verdict, type Row } from './markdown';
import { extAuthzTarget } from './reportExtAuthz';
import { maxOf, perGrant, probes, type Results } from './results';

/** The targets of the issue, each met, not met, or not measured in this run. */
export function targetsSection(r: Results): string {
  const bySize = (n: number) => r.workloads.find((w) => w.size === n);
  const rows: Row[] = [];

  const small = bySize(1_000)?.inProcess;
  const big = bySize(1_000_000)?.inProcess;
  rows.push([
    'in-process `decide` p99 <= 10 µs at 1M grants',
    big ? duration(big.decide.p99) : 'no 1M run',
    verdict(big ? big.decide.p99 <= 10_000 : null),
  ]);
  rows.push([
    'in-process p99(1M) <= 2 x p99(1k)',
    big && small ? `${duration(big.decide.p99)} vs 2 x ${duration(small.decide.p99)} (${ratio(big.decide.p99 / small.decide.p99)})` : 'needs 1k and 1M runs',
    verdict(big && small ? big.decide.p99 <= 2 * small.decide.p99 : null),
  ]);

  rows.push([
    'HTTP single check >= 85% of bare express',
    r.http.length ? r.http.map((h) => `${sizeLabel(h.grants)}: ${pct(h.single.ratio)}`).join(', ') : 'no HTTP run',
    verdict(r.http.length ? r.http.every((h) => h.single.ratio >= 0.85) : null),
  ]);
  rows.push([
    'batch >= 300,000 decisions/s',
    r.http.length ? r.http.map((h) => `${sizeLabel(h.grants)}: ${int(h.batch.decisionsPerSec)}/s`).join(', ') : 'no HTTP run',
    verdict(r.http.length ? r.http.every((h) => h.batch.decisionsPerSec >= 300_000) : null),
  ]);

  const bigW = bySize(1_000_000);
  const mem = bigW ? perGrant(r, bigW, 'postgres') : null;
  rows.push([
    '<= 400 bytes resident per grant at 1M (PostgreSQL backend)',
    mem ? `${int(mem.rssPerGrant)} B/grant (heap ${int(mem.heapPerGrant)} B/grant)` : 'no 1M run',
    verdict(mem ? mem.rssPerGrant <= 400 : null),
  ]);

  const coldRuns = bigW ? probes(bigW.loads, 'postgres') : [];
  const cold = maxOf(coldRuns.map((l) => l.processStartToReadyMs));
  const server = r.http.find((h) => h.size === 1_000_000);
  rows.push([
    'cold start of 1M grants from PostgreSQL to ready <= 15 s',
    coldRuns.length
      ? `${ms(cold)} (slower of ${coldRuns.length} runs, process start to ready)${server ? `; real server spawn to /readyz ${ms(server.spawnToReadyMs)}` : ''}`
      : 'no 1M run',
    verdict(coldRuns.length ? cold <= 15_000 && (!server || server.spawnToReadyMs <= 15_000) : null),
  ]);
  rows.push(extAuthzTarget(r));
  return ['## Targets', '', table(['target', 'measured', 'verdict'], rows)].join('\n');
}
