import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PROJECT_ROOT } from '../src/projectRoot';
import { databaseUrl, dropDatabase, postgresVersion, recreateDatabase, removeDir, scratchDir, type Backend } from './databases';
import { webhookFigures, type EventsResult } from './events';

/**
 * Webhook delivery alone, on PGlite and on PostgreSQL: `npm run bench:webhooks`
 * (`BENCH_WEBHOOK_BACKENDS=pglite` for one). The same figures as the events section of `npm run bench`,
 * written to bench/webhook-results.md.
 */
const DB = 'realmgate_bench_webhooks';

type Row = { kind: string; load: number } & Pick<EventsResult, 'webhook' | 'latency'>;

function report(rows: Row[]): string {
  const cpu = os.cpus();
  return [
    '# Webhook delivery',
    '',
    `\`npm run bench:webhooks\`, ${new Date().toISOString().slice(0, 10)}: ${cpu.length} vCPU (${cpu[0]?.model.trim() ?? 'unknown'}), ` +
      `${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}.`,
    'One webhook (`membership.*`) to a receiver on the same machine that answers 200 at once. Throughput: one batch write of',
    '2000 memberships, from the write request to the last event received (the write itself included, and shown apart).',
    'Latency: 60 writes one at a time, each from its answer to its event received.',
    '',
    '| backend | load (1 min) | events | seconds (of it the write) | deliveries/s | commit to receipt p50 / p99 / max |',
    '| --- | ---: | ---: | ---: | ---: | ---: |',
    ...rows.map(
      (r) =>
        `| ${r.kind} | ${r.load.toFixed(1)} | ${r.webhook.events} | ${r.webhook.seconds.toFixed(2)} (${r.webhook.writeSeconds.toFixed(2)}) | ` +
        `${Math.round(r.webhook.perSecond)} | ${r.latency.p50Ms.toFixed(0)} / ${r.latency.p99Ms.toFixed(0)} / ${r.latency.maxMs.toFixed(0)} ms |`,
    ),
    '',
    'Targets: at least 500 deliveries/s; commit to receipt p99 at most 1 s at idle.',
    '',
  ].join('\n');
}

async function main(): Promise<void> {
  const kinds = (process.env.BENCH_WEBHOOK_BACKENDS ?? 'pglite,postgres').split(',').map((s) => s.trim());
  const logDir = scratchDir('webhooks-logs');
  const rows: Row[] = [];
  try {
    for (const kind of kinds) {
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
        rows.push({ kind, load, ...f });
        console.log(
          `${kind} (load ${load.toFixed(1)}): ${f.webhook.events} events in ${f.webhook.seconds.toFixed(2)} s (the write ${f.webhook.writeSeconds.toFixed(2)} s of it), ` +
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
