import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { cannon, startRealmgate, type Target } from './http';
import { removeDir, scratchDir, type Backend } from './databases';
import { summarize } from './stats';

export interface EventsResult {
  backend: string;
  /** HTTP check throughput (req/s) with the decision log off, denied and all */
  checks: { off: number; denied: number; all: number };
  /** from the batch write's request to the last receipt; writeSeconds of it until the write answered */
  webhook: { events: number; seconds: number; perSecond: number; writeSeconds: number };
  /** from a write's answer to the receiver getting its event, writes one at a time at idle */
  latency: { samples: number; p50Ms: number; p99Ms: number; maxMs: number };
}

const TOKEN = 'bench-admin-token-0123456789';

function send(target: Target, method: string, urlPath: string, body?: unknown): Promise<{ status: number; body: any }> {
  const text = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        ...('port' in target ? { host: '127.0.0.1', port: target.port } : { socketPath: target.socketPath }),
        method,
        path: urlPath,
        headers: { authorization: `Bearer ${TOKEN}`, ...(text ? { 'content-type': 'application/json' } : {}) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const raw = Buffer.concat(chunks).toString();
          resolve({ status: res.statusCode ?? 0, body: raw ? JSON.parse(raw) : undefined });
        });
      },
    );
    req.on('error', reject);
    req.end(text);
  });
}

/** A receiver that answers 200 at once and calls back with each event's id and arrival time. */
async function receiver(onEvent: (id: string, at: number) => void): Promise<{ url: string; close: () => void }> {
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      onEvent(String(req.headers['webhook-id']), performance.now());
      res.writeHead(200).end();
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, close: () => server.close() };
}

async function checkThroughput(backend: Backend, mode: 'off' | 'denied' | 'all', logDir: string, seconds: number): Promise<number> {
  const server = await startRealmgate(backend, 'bench', path.join(logDir, `events-check-${mode}.log`), undefined, {
    REALMGATE_ADMIN_TOKEN: TOKEN,
    REALMGATE_DECISION_LOG: mode,
    REALMGATE_DECISION_LOG_FILE: path.join(logDir, `decisions-${mode}.ndjson`),
  });
  try {
    await send(server.target, 'PUT', '/v1/realms/bench');
    await send(server.target, 'PUT', '/v1/realms/bench/users/u1/memberships/o1', { permissions: ['docs:read', 'orders:*'] });
    // half allowed, half denied
    const bodies = [
      { subject: 'u1', org: 'o1', permission: 'docs:read' },
      { subject: 'u1', org: 'o1', permission: 'orders:42' },
      { subject: 'u1', org: 'o1', permission: 'docs:write' },
      { subject: 'u2', org: 'o1', permission: 'docs:read' },
    ].map((b) => JSON.stringify(b));
    await cannon(server.target, '/v1/check', bodies, 32, 2);
    const runs = [await cannon(server.target, '/v1/check', bodies, 32, seconds), await cannon(server.target, '/v1/check', bodies, 32, seconds)];
    return Math.max(...runs.map((r) => r.reqPerSec));
  } finally {
    await server.stop();
  }
}

/** Webhook throughput (one batch write of many memberships, every event to one receiver) and commit-to-receipt latency. */
export async function webhookFigures(backend: Backend, logDir: string): Promise<Pick<EventsResult, 'webhook' | 'latency'>> {
  const arrivals = new Map<string, number>();
  let waiting: { id: string; done: () => void } | undefined;
  let count = 0;
  let target = 0;
  let allDone: (() => void) | undefined;
  const rx = await receiver((id, at) => {
    arrivals.set(id, at);
    count += 1;
    if (waiting && waiting.id === id) waiting.done();
    if (count >= target && allDone) allDone();
  });
  const server = await startRealmgate(backend, 'bench', path.join(logDir, 'events-webhooks.log'), undefined, {
    REALMGATE_ADMIN_TOKEN: TOKEN,
    REALMGATE_WEBHOOK_ALLOW_PRIVATE: 'true',
  });
  try {
    await send(server.target, 'PUT', '/v1/realms/bench');
    await send(server.target, 'PUT', '/v1/realms/bench/orgs/o1');
    const hook = await send(server.target, 'POST', '/v1/realms/bench/webhooks', { url: rx.url, events: ['membership.*'] });
    if (hook.status !== 201) throw new Error(`webhook not created: ${JSON.stringify(hook.body)}`);

    // latency at idle: one write at a time, each waiting for its event
    const latencies: number[] = [];
    for (let i = 0; i < 60; i += 1) {
      const arrived = new Promise<void>((resolve) => (waiting = { id: '', done: resolve }));
      const res = await send(server.target, 'PUT', `/v1/realms/bench/users/lat${i}/memberships/o1`, { permissions: ['a'] });
      const committed = performance.now();
      const id = `${res.body.revision}.1`;
      // the user.created event is filtered out: the membership is the first event of the change sent
      const expected = `${res.body.revision}.2`;
      if (arrivals.has(expected) || arrivals.has(id)) latencies.push((arrivals.get(expected) ?? arrivals.get(id)!) - committed);
      else {
        waiting = { id: expected, done: waiting!.done };
        await arrived;
        latencies.push(arrivals.get(expected)! - committed);
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const lat = summarize(latencies.map((l) => Math.max(0, l)));

    // throughput: one batch of memberships, every event delivered to the receiver
    const n = 2000;
    count = 0;
    target = n;
    const done = new Promise<void>((resolve) => (allDone = resolve));
    const started = performance.now();
    const batch = { upsert: Array.from({ length: n }, (_, i) => ({ user: `tp${i}`, org: 'o1', permissions: ['b'] })) };
    const res = await send(server.target, 'POST', '/v1/realms/bench/memberships/batch', batch);
    if (res.status !== 200) throw new Error(`batch failed: ${JSON.stringify(res.body)}`);
    const writeSeconds = (performance.now() - started) / 1000;
    await done;
    const seconds = (performance.now() - started) / 1000;
    return {
      webhook: { events: n, seconds, perSecond: n / seconds, writeSeconds },
      latency: { samples: latencies.length, p50Ms: lat.median, p99Ms: lat.p99, maxMs: Math.max(...latencies) },
    };
  } finally {
    await server.stop();
    rx.close();
  }
}

export async function measureEvents(backend: Backend, label: string, logDir: string, log: (s: string) => void, seconds = 5): Promise<EventsResult> {
  const checks = { off: 0, denied: 0, all: 0 };
  for (const mode of ['off', 'denied', 'all'] as const) {
    checks[mode] = await checkThroughput(backend, mode, logDir, seconds);
    log(`  checks with decision log ${mode}: ${Math.round(checks[mode])} req/s`);
  }
  const figures = await webhookFigures(backend, logDir);
  log(`  webhooks: ${Math.round(figures.webhook.perSecond)} deliveries/s; commit to receipt p50 ${figures.latency.p50Ms.toFixed(1)} ms, p99 ${figures.latency.p99Ms.toFixed(1)} ms`);
  return { backend: label, checks, ...figures };
}

export function eventsSection(e: EventsResult | undefined): string[] {
  if (!e) return [];
  const pct = (x: number) => `${((x / e.checks.off) * 100).toFixed(0)}%`;
  return [
    '## Events and the decision log',
    '',
    `Backend: ${e.backend}. HTTP checks (32 connections, half allowed, half denied), each mode in a fresh server:`,
    '',
    '| decision log | checks/s | vs off | target |',
    '|---|---:|---:|---:|',
    `| off | ${Math.round(e.checks.off)} | 100% | |`,
    `| denied | ${Math.round(e.checks.denied)} | ${pct(e.checks.denied)} | ≥ 90% |`,
    `| all | ${Math.round(e.checks.all)} | ${pct(e.checks.all)} | ≥ 70% |`,
    '',
    `Webhooks to a local receiver: ${e.webhook.events} events of one batch write delivered in ${e.webhook.seconds.toFixed(2)} s, ` +
      `${Math.round(e.webhook.perSecond)} deliveries/s (target ≥ 500; the write itself took ${e.webhook.writeSeconds.toFixed(2)} s of it). Commit to receipt at idle (${e.latency.samples} writes one at a time): ` +
      `p50 ${e.latency.p50Ms.toFixed(1)} ms, p99 ${e.latency.p99Ms.toFixed(1)} ms, max ${e.latency.maxMs.toFixed(1)} ms (target p99 ≤ 1 s).`,
    '',
  ];
}

/** Run alone: `node dist/bench-build/bench/events.js` (PGlite in a scratch folder). */
if (require.main === module) {
  const dir = scratchDir('events');
  const logDir = scratchDir('events-logs');
  measureEvents({ kind: 'pglite', dataDir: dir }, 'PGlite', logDir, (s) => console.log(s), Number(process.env.BENCH_EVENTS_SECONDS ?? 5))
    .then((r) => console.log(eventsSection(r).join('\n')))
    .finally(() => {
      removeDir(dir);
      fs.rmSync(logDir, { recursive: true, force: true });
    });
}
