import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { PROJECT_ROOT } from '../../src/projectRoot';

/** The built service as `npm start` runs it (npm test builds dist/ first). */
const MAIN = path.join(PROJECT_ROOT, 'dist', 'src', 'main.js');
const TOKEN = 'shutdown-test-token-0123';

interface Service {
  child: ChildProcess;
  lines: Record<string, unknown>[];
  api: number;
  probe: number;
  exited: Promise<number | null>;
  /** resolves with the first log line whose message matches */
  line(pattern: RegExp): Promise<Record<string, unknown>>;
}

async function start(dataDir: string, env: Record<string, string> = {}): Promise<Service> {
  const child = spawn(process.execPath, [MAIN], {
    env: { ...process.env, PORT: '0', REALMGATE_PROBE_PORT: '0', REALMGATE_PROBE_HOST: '127.0.0.1', REALMGATE_DATA_DIR: dataDir, REALMGATE_ADMIN_TOKEN: TOKEN, NODE_OPTIONS: '', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines: Record<string, unknown>[] = [];
  const waiting: { pattern: RegExp; resolve: (l: Record<string, unknown>) => void }[] = [];
  let partial = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    const parts = (partial + chunk.toString()).split('\n');
    partial = parts.pop() ?? '';
    for (const text of parts) {
      const parsed = JSON.parse(text) as Record<string, unknown>;
      lines.push(parsed);
      for (const w of waiting.filter((w) => w.pattern.test(String(parsed.msg)))) w.resolve(parsed);
    }
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  const line = (pattern: RegExp) =>
    new Promise<Record<string, unknown>>((resolve, reject) => {
      const seen = lines.find((l) => pattern.test(String(l.msg)));
      if (seen) return resolve(seen);
      waiting.push({ pattern, resolve });
      void exited.then((code) => reject(new Error(`exited with ${code} before ${pattern}: ${JSON.stringify(lines)}`)));
    });
  const port = (l: Record<string, unknown>) => Number(/:(\d+) /.exec(String(l.msg))?.[1]);
  const api = port(await line(/\(api\)$/));
  const probe = port(await line(/\(probes and metrics\)$/));
  await line(/^ready at revision/);
  return { child, lines, api, probe, exited, line };
}

/** Sends a request's headers with Expect: 100-continue and resolves once the service has taken it (100 Continue). */
function beginRequest(port: number, method: string, url: string, body: string): Promise<{ socket: net.Socket; finish(): Promise<string> }> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    let received = '';
    const answered = new Promise<string>((done) => {
      socket.on('data', (chunk) => {
        received += chunk.toString();
        if (received.includes('100 Continue') && !received.includes('\r\n\r\nHTTP/1.1 ')) {
          resolve({ socket, finish: () => (socket.write(body), answered) });
        }
      });
      socket.on('close', () => done(received.replace(/^HTTP\/1\.1 100 Continue\r\n\r\n/, '')));
    });
    socket.once('error', reject);
    socket.write(
      `${method} ${url} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${TOKEN}\r\nContent-Type: application/json\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nExpect: 100-continue\r\n\r\n`,
    );
  });
}

function connects(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });
}

/** each test starts the service twice, and a PGlite folder opens slowly on a busy machine */
const TWO_STARTS_MS = 180_000;

const admin = (port: number, method: string, url: string) => fetch(`http://127.0.0.1:${port}${url}`, { method, headers: { authorization: `Bearer ${TOKEN}` } });

describe('shutdown on SIGTERM', () => {
  let dataDir: string;
  const started: ChildProcess[] = [];
  beforeEach(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'realmgate-stop-'));
    fs.cpSync(process.env.REALMGATE_TEST_TEMPLATE as string, dataDir, { recursive: true });
  });
  afterEach(() => {
    for (const child of started.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  test('a write in flight finishes and is acknowledged, /readyz turns 503, new connections are refused, exit 0, and the write is there after a restart', async () => {
    const service = await start(dataDir);
    started.push(service.child);
    expect((await admin(service.api, 'PUT', '/v1/realms/acme')).status).toBe(201);
    const write = await beginRequest(service.api, 'PUT', '/v1/realms/acme/users/alice/memberships/eng', JSON.stringify({ permissions: ['orders:rw'] }));

    service.child.kill('SIGTERM');
    expect(await service.line(/^SIGTERM: shutting down$/)).toMatchObject({ inFlight: 1 });
    const ready = await fetch(`http://127.0.0.1:${service.probe}/readyz`);
    expect([ready.status, await ready.json()]).toEqual([503, { ready: false, reason: 'shutting_down' }]);
    expect(await connects(service.api)).toBe(false);

    const answer = await write.finish();
    expect(answer).toMatch(/^HTTP\/1\.1 201 /);
    expect(answer).toMatch(/\r\nConnection: close\r\n/i);
    expect(await service.exited).toBe(0);

    const again = await start(dataDir);
    started.push(again.child);
    const stored = await admin(again.api, 'GET', '/v1/realms/acme/users/alice/memberships');
    expect(stored.status).toBe(200);
    expect(await stored.json()).toMatchObject({ memberships: [{ org: 'eng', permissions: ['orders:rw'] }] });
    again.child.kill('SIGINT');
    expect(await again.exited).toBe(0);
  }, TWO_STARTS_MS);

  test('past REALMGATE_SHUTDOWN_TIMEOUT_MS the requests still running are cut and named in the log, exit 1; the cut write was never acknowledged nor stored', async () => {
    const service = await start(dataDir, { REALMGATE_SHUTDOWN_TIMEOUT_MS: '300' });
    started.push(service.child);
    expect((await admin(service.api, 'PUT', '/v1/realms/acme')).status).toBe(201);
    const write = await beginRequest(service.api, 'PUT', '/v1/realms/acme/users/bob/memberships/eng', JSON.stringify({ permissions: ['orders:rw'] }));

    service.child.kill('SIGTERM');
    const cut = await service.line(/^shutdown: 1 request\(s\) still running/);
    expect(cut).toMatchObject({ level: 'error', cut: 1, requests: ['PUT /v1/realms/acme/users/bob/memberships/eng'] });
    expect(await service.exited).toBe(1);
    expect(await write.finish()).toBe('');

    const again = await start(dataDir);
    started.push(again.child);
    expect((await admin(again.api, 'GET', '/v1/realms/acme/users/bob/memberships')).status).toBe(404);
    again.child.kill('SIGTERM');
    expect(await again.exited).toBe(0);
  }, TWO_STARTS_MS);

  test('the Unix socket stops taking connections too, and its file is removed', async () => {
    const socketPath = path.join(dataDir, 'rg.sock');
    const service = await start(dataDir, { REALMGATE_SOCKET: socketPath });
    started.push(service.child);
    expect(fs.existsSync(socketPath)).toBe(true);
    service.child.kill('SIGTERM');
    await service.line(/^SIGTERM: shutting down$/);
    const refused = await new Promise<boolean>((resolve) => {
      const socket = net.connect(socketPath);
      socket.once('connect', () => (socket.destroy(), resolve(false)));
      socket.once('error', () => resolve(true));
    });
    expect(refused).toBe(true);
    expect(await service.exited).toBe(0);
    expect(fs.existsSync(socketPath)).toBe(false);
  });
});

describe('the probe listener', () => {
  test('serves GET /healthz, /readyz and /metrics without a token, and 404 JSON for anything else', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'realmgate-probe-'));
    fs.cpSync(process.env.REALMGATE_TEST_TEMPLATE as string, dataDir, { recursive: true });
    const service = await start(dataDir);
    try {
      const at = (url: string, init?: RequestInit) => fetch(`http://127.0.0.1:${service.probe}${url}`, init);
      expect((await at('/healthz')).status).toBe(200);
      const ready = await at('/readyz');
      expect(ready.status).toBe(200);
      expect(await ready.json()).toMatchObject({ ready: true, revision: 0 });
      const metrics = await at('/metrics');
      expect(metrics.status).toBe(200);
      expect(await metrics.text()).toContain('realmgate_build_info{');
      for (const [url, init] of [
        ['/v1/check', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"realm":"a","subject":"b","permission":"c"}' }],
        ['/v1/realms/acme', { method: 'PUT', headers: { authorization: `Bearer ${TOKEN}` } }],
        ['/v1/state', { headers: { authorization: `Bearer ${TOKEN}` } }],
        ['/healthz', { method: 'POST' }],
        ['/', {}],
      ] as [string, RequestInit][]) {
        const res = await at(url, init);
        expect([url, res.status, res.headers.get('content-type')]).toEqual([url, 404, 'application/json; charset=utf-8']);
        expect(((await res.json()) as { error: { code: string } }).error.code).toBe('not_found');
      }
      // the API port does not answer what only the probe port should
      expect((await fetch(`http://127.0.0.1:${service.api}/v1/realms/acme`, { method: 'PUT', headers: { authorization: `Bearer ${TOKEN}` } })).status).toBe(201);
    } finally {
      service.child.kill('SIGTERM');
      await service.exited;
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
