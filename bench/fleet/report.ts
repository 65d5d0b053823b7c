import type { CapacityResult } from './capacity';
import type { LoadWriterReport } from './loadWriter';
import type { Machine } from './machine';
import type { AtLeastSample, PollSample } from './measure';
import type { Options } from './options';
import { ms, summarize, type Summary } from './stats';

export interface PhaseResult {
  label: string;
  /** background writes per second offered; undefined when idle */
  rate?: number;
  writer?: LoadWriterReport;
  poll: PollSample[];
  atLeast: AtLeastSample[];
  seconds: number;
  cpu?: { machineBusyPct: number; perProcessPct: Record<string, number> };
}

export interface RunResult {
  options: Options;
  machine: Machine;
  sidecars: { name: string; startMs: number; memory: { rss: number; peak: number }; stderrLines: number }[];
  sidecarEnv: Record<string, string>;
  seededAt: number;
  phases: PhaseResult[];
  capacity?: CapacityResult;
  /** connections to the scratch database at the end, by application_name */
  connections: Record<string, number>;
  final: { name: string; revision: number; memberships: number; digest: string }[];
}

function row(phase: string, measure: string, s: Summary, targetMs?: number): string {
  const verdict = targetMs === undefined ? '' : s.p99 <= targetMs ? 'yes' : '**no**';
  return `| ${phase} | ${measure} | ${s.samples} | ${ms(s.p50)} | ${ms(s.p99)} | ${ms(s.max)} | ${verdict} |`;
}

export function render(r: RunResult): string {
  const o = r.options;
  const m = r.machine;
  const lines: string[] = [];
  const add = (...more: string[]) => lines.push(...more);
  add(
    '# realmgate fleet: write-to-visible latency',
    '',
    'Written by `npm run bench:fleet` (`bench/fleet/`). Three sidecars (A, B, C: `node dist/src/main.js`) share one',
    'scratch PostgreSQL database on this machine. Each sample writes a membership with a new tag through A and',
    'measures when B allows that tag: **(a)** by polling `POST /v1/check` on B without `atLeast` until it answers',
    `allowed (a poll every ${o.pollIntervalMs} ms), **(b)** by one check on B with \`atLeast\` = the revision the write answered.`,
    'The two methods alternate, sample by sample, and samples run one after another. "Load" phases add a separate',
    'process writing memberships at a fixed rate through C and A (alternately, open-loop) for the whole phase.',
    `Target: p99 <= ${o.targetMs} ms. Times in milliseconds, taken by the client on loopback (each includes the HTTP`,
    'round trips of the requests it spans).',
    '',
    '## Machine',
    '',
    `- CPU: ${m.cpuModel}, ${m.cpus} logical CPUs, shared by PostgreSQL, the three sidecars, the load writer and the benchmark`,
    `- memory: ${m.memoryGiB.toFixed(1)} GiB`,
    `- Node.js ${m.node}; ${m.os}`,
    `- ${m.postgres} on 127.0.0.1 (the machine's own server, its default settings)`,
    `- realmgate commit ${m.commit}`,
    `- date: ${m.date}`,
    '',
    '## Setup',
    '',
  );
  const env = Object.entries(r.sidecarEnv);
  add(
    `- sidecar settings: ${env.length ? env.map(([k, v]) => `\`${k}=${v}\``).join(', ') : 'the defaults (`REALMGATE_POLL_MS=1000`, `REALMGATE_MAX_WAIT_MS=2000`, `REALMGATE_READY_MAX_LAG=100`)'}; \`HOST=127.0.0.1\`, \`PORT=0\``,
    `- policy: realm \`bench\`, one role, ${o.seed} seeded memberships (revision ${r.seededAt} after seeding), then the samples' and the load's writes`,
    `- samples: ${o.samples} per method per phase, after ${o.warmup} warm-up samples; a phase stops sampling after ${o.phaseSeconds} s (then its sample count is lower)`,
    `- sidecar start (spawn to "ready at revision", all three at once on an empty database): ${r.sidecars.map((s) => `${s.name} ${s.startMs} ms`).join(', ')}`,
    '',
    '## Results',
    '',
    `| phase | measure | samples | p50 | p99 | max | p99 <= ${o.targetMs} ms |`,
    '| --- | --- | ---: | ---: | ---: | ---: | :---: |',
  );
  for (const p of r.phases) {
    const writes = [...p.poll.map((s) => s.writeMs), ...p.atLeast.map((s) => s.writeMs)];
    add(
      row(p.label, 'write through A (PUT membership: request to answer)', summarize(writes)),
      row(p.label, '(a) polling B: visible, from write start', summarize(p.poll.map((s) => s.fromWriteStart)), o.targetMs),
      row(p.label, '(a) polling B: visible, from write answer', summarize(p.poll.map((s) => s.fromWriteAnswer)), o.targetMs),
      row(p.label, '(b) one check on B with atLeast: its response time', summarize(p.atLeast.map((s) => s.checkMs)), o.targetMs),
      row(p.label, '(b) one check on B with atLeast: from write start', summarize(p.atLeast.map((s) => s.fromWriteStart)), o.targetMs),
    );
  }
  add('');
  for (const p of r.phases) {
    const first = p.poll.filter((s) => s.polls === 1).length;
    const timedOut = p.poll.filter((s) => s.timedOut).length;
    const notOk = p.atLeast.filter((s) => !s.ok);
    const statuses = [...new Set(notOk.map((s) => s.status))].join(', ');
    add(
      `- ${p.label}: (a) B already allowed the tag at the first poll after the write answered in ${first} of ${p.poll.length} samples` +
        `${timedOut ? `; **${timedOut} timed out** (${o.sampleTimeoutMs} ms)` : ''}. (b) ${p.atLeast.length - notOk.length} of ${p.atLeast.length} checks answered 200 allowed` +
        `${notOk.length ? ` (the others: HTTP ${statuses})` : ''}. The phase took ${p.seconds.toFixed(1)} s.`,
    );
  }
  add(
    '',
    'Reading it: "from write answer" and the `atLeast` check\'s response time are propagation, how long B takes to',
    'learn of a write A has committed. "From write start" adds the write itself, and every write of the fleet takes one',
    'PostgreSQL advisory lock: when writes arrive faster than the capacity below, they queue for that lock, and the',
    'queue, not propagation, sets the time.',
  );
  add('');
  add('## Writes');
  add('');
  if (r.capacity) {
    const c = r.capacity;
    add(
      `- write capacity of the fleet here: **${c.writesPerSecond.toFixed(0)} writes/s** (${c.concurrency} closed-loop writers through C and A for ${c.seconds.toFixed(1)} s;` +
        ` ${c.ok} ok, ${c.failed} failed; latency p50 ${ms(c.latency.p50)}, p99 ${ms(c.latency.p99)} ms). Every write takes the same advisory lock, so this is the ceiling of all sidecars together;` +
        ' a sidecar runs one write transaction at a time, shared by the writes that arrived meanwhile (group commit). `npm run bench:writes` compares this build with an earlier one.',
    );
  }
  for (const p of r.phases) {
    const w = p.writer;
    if (!w || p.rate === undefined) continue;
    add(
      `- ${p.label}: offered ${p.rate} writes/s (open-loop, at most ${o.maxInFlight} in flight) for ${w.seconds.toFixed(1)} s, 2 s of it before the samples began;` +
        ` achieved **${w.achievedRate.toFixed(1)} writes/s** (${w.ok} ok, ${w.failed} failed, ${w.skipped} not issued because ${o.maxInFlight} were in flight)` +
        `${w.firstError ? `; first error: ${w.firstError}` : ''}; the writer's latency p50 ${ms(w.latency.p50)}, p99 ${ms(w.latency.p99)}, max ${ms(w.latency.max)} ms`,
    );
  }
  add('');
  add('## Resources');
  add('');
  const cpuRows = r.phases.filter((p) => p.cpu);
  if (cpuRows.length) {
    const names = [...new Set(cpuRows.flatMap((p) => Object.keys(p.cpu!.perProcessPct)))];
    add(`CPU during the samples of each phase, in % of one CPU (the machine has ${m.cpus}, so ${m.cpus * 100} % in all):`, '');
    add(`| process | ${cpuRows.map((p) => p.label).join(' | ')} |`);
    add(`| --- | ${cpuRows.map(() => '---:').join(' | ')} |`);
    for (const name of names) {
      add(`| ${name} | ${cpuRows.map((p) => (Number.isFinite(p.cpu!.perProcessPct[name]) ? p.cpu!.perProcessPct[name].toFixed(0) : '-')).join(' | ')} |`);
    }
    const others = (p: PhaseResult) => {
      const ours = Object.values(p.cpu!.perProcessPct).reduce((sum, v) => sum + (Number.isFinite(v) ? v : 0), 0);
      return Math.max(0, p.cpu!.machineBusyPct * m.cpus - ours);
    };
    add(`| anything else on the machine | ${cpuRows.map((p) => others(p).toFixed(0)).join(' | ')} |`);
    add(`| whole machine | ${cpuRows.map((p) => (p.cpu!.machineBusyPct * m.cpus).toFixed(0)).join(' | ')} |`);
    add('');
    const busy = cpuRows.filter((p) => others(p) > 25);
    if (busy.length) {
      add(
        `**Other processes on the machine used more than a quarter of a CPU during ${busy.map((p) => p.label).join(', ')}:** ` +
          'those numbers measure a shared machine, not realmgate alone.',
        '',
      );
    }
  }
  add(`Connections to the database at the end, by application_name: ${Object.entries(r.connections).map(([k, v]) => `${k} ${v}`).join(', ')}.`);
  add(`Sidecar memory at the end (RSS / peak RSS, MiB): ${r.sidecars.map((s) => `${s.name} ${s.memory.rss.toFixed(0)} / ${s.memory.peak.toFixed(0)}`).join(', ')}.`);
  const errors = r.sidecars.filter((s) => s.stderrLines > 0);
  add(`Error lines from the sidecars after start (stderr, or JSON log lines at level error or fatal): ${errors.length ? errors.map((s) => `${s.name} ${s.stderrLines}`).join(', ') : 'none'}.`);
  add('');
  const digests = new Set(r.final.map((f) => f.digest));
  const revisions = new Set(r.final.map((f) => f.revision));
  add(
    `At the end all three sidecars stood at revision ${[...revisions].join('/')} with ${r.final[0]?.memberships} memberships, and their ` +
      `\`/v1/state\` digests ${digests.size === 1 && revisions.size === 1 ? 'agree' : `**disagree** (${r.final.map((f) => `${f.name} ${f.revision} ${f.digest.slice(0, 12)}`).join(', ')})`}.`,
  );
  add(
    '',
    '## Running it',
    '',
    '```sh',
    'npm run bench:fleet    # PostgreSQL on 127.0.0.1:5432, user postgres, trust auth; creates and drops a scratch database',
    'FLEET_SAMPLES=1000 FLEET_RATES=200,50 npm run bench:fleet   # FLEET_RATES default: 300,half (half the measured capacity)',
    '```',
    '',
    'Knobs: `FLEET_POSTGRES_URL`, `FLEET_SAMPLES`, `FLEET_WARMUP`, `FLEET_PHASE_SECONDS`, `FLEET_RATES` (comma-separated), `FLEET_MAX_IN_FLIGHT`,',
    '`FLEET_CAPACITY_SECONDS`, `FLEET_CAPACITY_WRITERS`, `FLEET_SEED`, `FLEET_POLL_INTERVAL_MS`, `FLEET_SAMPLE_TIMEOUT_MS`, `FLEET_TARGET_MS`, `FLEET_OUT`.',
    '`REALMGATE_*` variables in the environment, other than those the benchmark sets, pass through to the sidecars.',
    '',
  );
  return lines.join('\n');
}
