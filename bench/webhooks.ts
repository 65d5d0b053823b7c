import fs from 'node:fs';
import { databaseUrl, dropDatabase, postgresVersion, recreateDatabase, removeDir, scratchDir, type Backend } from './databases';
import { webhookFigures } from './events';

/**
 * Webhook delivery alone, on PGlite and on PostgreSQL: `npm run bench:webhooks`
 * (`BENCH_WEBHOOK_BACKENDS=pglite` for one). The same figures as the events section of `npm run bench`.
 */
const DB = 'realmgate_bench_webhooks';

async function main(): Promise<void> {
  const kinds = (process.env.BENCH_WEBHOOK_BACKENDS ?? 'pglite,postgres').split(',').map((s) => s.trim());
  const logDir = scratchDir('webhooks-logs');
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
        const f = await webhookFigures(backend, logDir);
        console.log(
          `${kind}: ${f.webhook.events} events in ${f.webhook.seconds.toFixed(2)} s (the write ${f.webhook.writeSeconds.toFixed(2)} s of it), ${Math.round(f.webhook.perSecond)} deliveries/s; ` +
            `commit to receipt (${f.latency.samples} writes) p50 ${f.latency.p50Ms.toFixed(1)} ms, p99 ${f.latency.p99Ms.toFixed(1)} ms, max ${f.latency.maxMs.toFixed(1)} ms`,
        );
      } finally {
        removeDir(dir);
        if (kind === 'postgres') await dropDatabase(DB);
      }
    }
  } finally {
    fs.rmSync(logDir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
