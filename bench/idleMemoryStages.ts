import http from 'node:http';
import { createApp } from '../src/app';
import { createLogger } from '../src/logger';
import { startRuntime } from '../src/runtime/startRuntime';
import { openDatabase } from '../src/store/database';
import { ADMIN_TOKEN, benchConfig, type Backend } from './databases';
import { memoryAfterGc } from './loadProbe';

/** Memory after one stage of starting up, all of it kept alive into the next. */
export interface MemoryStage {
  stage: string;
  rss: number;
  heapUsed: number;
  external: number;
  arrayBuffers: number;
}

async function settled(stage: string): Promise<MemoryStage> {
  const m = await memoryAfterGc();
  return { stage, rss: m.rss, heapUsed: m.heapUsed, external: m.external, arrayBuffers: m.arrayBuffers };
}

/**
 * Run as the first thing in a fresh child process: what each part of an idle realmgate costs. The
 * modules are loaded by the imports above (express, the OpenAPI validator, Prisma's client, pg,
 * PGlite, Casbin, pino, prom-client); then a database is opened and queried once (Prisma's query
 * compiler and the driver come alive), then the runtime is started on its own connection (policy
 * loaded, change listener, timers), then the HTTP app answers one check and one management request
 * (the validator reads openapi.yaml and compiles its schemas on first use).
 */
export async function measureIdleStages(args: { backend: Backend }): Promise<MemoryStage[]> {
  const stages = [await settled('node and every module loaded')];
  const config = benchConfig(args.backend);
  const db = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  await db.prisma.realm.findMany({ take: 1 });
  stages.push(await settled('+ a database opened, one query through Prisma'));
  await db.close();
  const runtime = await startRuntime(config, { onError: (err) => console.error('bench:', err) });
  try {
    stages.push(await settled('+ the runtime (policy, change listener, timers)'));
    const app = createApp({ lifecycle: { deps: runtime.deps }, adminToken: ADMIN_TOKEN, maxBodyBytes: 1 << 20, logger: createLogger('silent') });
    const server = http.createServer(app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    const base = `http://127.0.0.1:${port}`;
    await fetch(`${base}/v1/check`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ realm: 'none', subject: 'u', permission: 'p:1' }) });
    await fetch(`${base}/v1/state`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
    stages.push(await settled('+ the HTTP app, after one check and one management request'));
    await new Promise((resolve) => server.close(resolve));
  } finally {
    await runtime.close();
  }
  return stages;
}
