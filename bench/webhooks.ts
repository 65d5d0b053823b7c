import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PROJECT_ROOT } from '../src/projectRoot';
import { databaseUrl, dropDatabase, postgresVersion, recreateDatabase, removeDir, scratchDir, type Backend } from './databases';
import { webhookFigures, type EventsResult } from './events';

/**
 * Webhook delivery alone, on PGlite and on PostgreSQL: `npm run bench:webhooks`
 * (`BENCH_WEBHOOK_BACKENDS=pglite` for one), `BENCH_WEBHOOK_ROUNDS` times each (2), the backends taking turns. The same figures as the events section of `npm run bench`,
 * written to bench/webhook-results.md.
 */
const DB = 'realmgate_bench_webhooks';

type Row = { kind: string; round: number; load: number } & Pick<EventsResult, 'webhook' | 'latency'>;

function report(rows: Row[]): string {
  const cpu = os.cpus();
  return [
    '# Webhook delivery',
    '',
    `\`npm run bench:webhooks\`, ${new Date().toISOString().slice(0, 10)}: ${cpu.length} vCPU (${cpu[0]?.model.trim() ?? 'unknown'}), ` +
      `${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}.`,
    'One webhook (`membership.*`) to a receiver on the same machine that answers 200 at once. Throughput: one batch write of',
    '2000 memberships, from the write request to the last event received (the write itself included, and shown apart).',
    'Latency: 60 writes one at a time, each from its answer to its event received. Each round is a fresh server and database;',
    'the load is the 1-minute load average when the round began (other work shares the machine).',
    '',
    '| backend | round | load (1 min) | events | seconds (of it the write) | deliveries/s | commit to receipt p50 / p99 / max |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...rows.map(
      (r) =>
        `| ${r.kind} | ${r.round} | ${r.load.toFixed(1)} | ${r.webhook.events} | ${r.webhook.seconds.toFixed(2)} (${r.webhook.writeSeconds.toFixed(2)}) | ` +
        `${Math.round(r.webhook.perSecond)} | ${r.latency.p50Ms.toFixed(0)} / ${r.latency.p99Ms.toFixed(0)} / ${r.latency.maxMs.toFixed(0)} ms |`,
    ),
    '',
    'Targets: at least 500 deliveries/s; commit to receipt p99 at most 1 s at idle.',
    '',
  ].join('\n');
}

async function main(): Promise<void> {
  const kinds = (process.env.BENCH_WEBHOOK_BACKENDS ?? 'pglite,postgres').split(',').map((s) => s.trim());
  const rounds = Number(process.env.BENCH_WEBHOOK_ROUNDS ?? 2);
  if (!Number.isInteger(rounds) || rounds < 1) throw new Error('BENCH_WEBHOOK_ROUNDS: a whole number, at least 1');
  const logDir = scratchDir('webhooks-logs');
  const rows: Row[] = [];
  try {
    const runs = Array.from({ length: rounds }, (_, i) => kinds.map((kind) => ({ kind, round: i + 1 }))).flat();
    for (const { kind, round } of runs) {
      const dir = scratchDir('webhooks');
      let backend: Backend;
      if (kind === 'postgres') {
        if (!(await postgresVersion())) throw new Error('no PostgreSQL answers (set BENCH_POSTGRES_URL)');
        await recreateDatabase(DB);
        backend = { kind: 'postgres', databaseUrl: databaseUrl(DB), dataDir: dir };
      } else if (kind === 'pglite') {
        backend = { kind: 'pglite', dataDir: dir };
      } else throw new Error(`BENCH_WEBHOOK_BACKENDS: unknown backend '${kind}' (pglite, postgres)`);
      try {
        const load = os.loadavg()[0];
        const f = await webhookFigures(backend, logDir);
        rows.push({ kind, round, load, ...f });
        console.log(
          `${kind}, round ${round} (load ${load.toFixed(1)}): ${f.webhook.events} events in ${f.webhook.seconds.toFixed(2)} s (the write ${f.webhook.writeSeconds.toFixed(2)} s of it), ` +
            `${Math.round(f.webhook.perSecond)} deliveries/s; commit to receipt (${f.latency.samples} writes) ` +
            `p50 ${f.latency.p50Ms.toFixed(1)} ms, p99 ${f.latency.p99Ms.toFixed(1)} ms, max ${f.latency.maxMs.toFixed(1)} ms`,
        );
      } finally {
        removeDir(dir);
        if (kind === 'postgres') await dropDatabase(DB);
      }
    }
    fs.writeFileSync(path.join(PROJECT_ROOT, 'bench', 'webhook-results.md'), report(rows));
  } finally {
    fs.rmSync(logDir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
