import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { PROJECT_ROOT } from '../../src/projectRoot';
import { waitForLine } from '../support/waitForLine';

/** The built service as `npm start` runs it (npm test builds dist/ first). */
const MAIN = path.join(PROJECT_ROOT, 'dist', 'src', 'main.js');


/** POST a JSON body over a Unix domain socket; resolves with status and parsed body. */
function postOverSocket(socketPath: string, url: string, body: unknown): Promise<{ status: number; body: unknown }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ socketPath, path: url, method: 'POST', headers: { 'content-type': 'application/json' } }, (res) => {
      let text = '';
      res.on('data', (chunk: Buffer) => (text += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) }));
    });
    req.once('error', reject);
    req.end(JSON.stringify(body));
  });
}

function startService(dataDir: string, env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, [MAIN], {
    env: { ...process.env, PORT: '0', REALMGATE_DATA_DIR: dataDir, REALMGATE_ADMIN_TOKEN: 'socket-test-token-0123', NODE_OPTIONS: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

describe('the service process', () => {
  test('bad configuration: one clear log line and exit code 2', () => {
    const result = spawnSync(process.execPath, [MAIN], { env: { ...process.env, PORT: 'eighty' }, encoding: 'utf8' });
    expect(result.status).toBe(2);
    const lines = result.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toEqual([
      expect.objectContaining({ level: 'fatal', msg: "bad configuration: PORT must be an integer from 0 to 65535, got 'eighty'" }),
    ]);
    expect(result.stderr).toBe('');
  });

  test.each([
    [{ HOST: '0.0.0.0' }, 'HOST 0.0.0.0 is not a loopback address and checks need no token: set REALMGATE_CHECK_AUTH=token, or REALMGATE_ALLOW_OPEN_CHECKS=true to answer checks from the network without one'],
    [{ HOST: 'not a host' }, "HOST must be an IP address or a host name, got 'not a host'"],
    [{ REALMGATE_CHECK_AUTH: 'sometimes' }, "REALMGATE_CHECK_AUTH must be 'none' or 'token', got 'sometimes'"],
  ])('%j: refuses to start, with one line and exit code 2', (env, line) => {
    const result = spawnSync(process.execPath, [MAIN], { env: { ...process.env, NODE_OPTIONS: '', HOST: '', REALMGATE_CHECK_AUTH: '', ...env }, encoding: 'utf8' });
    expect(result.status).toBe(2);
    const lines = result.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toEqual([expect.objectContaining({ level: 'fatal', msg: `bad configuration: ${line}` })]);
  });

  test('a non-loopback HOST with REALMGATE_ALLOW_OPEN_CHECKS=true starts, and warns that checks are open', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'realmgate-proc-'));
    fs.cpSync(process.env.REALMGATE_TEST_TEMPLATE as string, dataDir, { recursive: true });
    const child = startService(dataDir, { HOST: '0.0.0.0', REALMGATE_ALLOW_OPEN_CHECKS: 'true', REALMGATE_CHECK_AUTH: '' });
    try {
      const warning = JSON.parse(await waitForLine(child, /checks need no token/)) as Record<string, unknown>;
      expect(warning).toMatchObject({
        level: 'warn',
        msg: "checks need no token and HOST 0.0.0.0 is not loopback (REALMGATE_ALLOW_OPEN_CHECKS=true): anyone who reaches it can ask about any user's grants",
      });
      const listening = await waitForLine(child, /listening on http/);
      const port = /listening on http:\/\/[^\s"]*:(\d+)/.exec(listening)?.[1];
      await waitForLine(child, /ready at revision/);
      // reached by any name there: no Host check without REALMGATE_ALLOWED_HOSTS
      const res = await fetch(`http://127.0.0.1:${port}/v1/check`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', host: 'rg.example.com' },
        body: JSON.stringify({ realm: 'acme', subject: 'ann', permission: 'a:b' }),
      });
      expect(res.status).toBe(200);
    } finally {
      const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });

  test('starts with no token configured, says where its token is, answers, and stops on SIGTERM', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'realmgate-proc-'));
    fs.cpSync(process.env.REALMGATE_TEST_TEMPLATE as string, dataDir, { recursive: true });
    const child = spawn(process.execPath, [MAIN], {
      env: { ...process.env, PORT: '0', REALMGATE_DATA_DIR: dataDir, REALMGATE_ADMIN_TOKEN: '', NODE_OPTIONS: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      const tokenLine = await waitForLine(child, /REALMGATE_ADMIN_TOKEN is not set/);
      expect(tokenLine).toContain(path.join(dataDir, 'admin-token'));
      const listening = await waitForLine(child, /listening on/);
      const base = /(http:\/\/127\.0\.0\.1:\d+)/.exec(listening)?.[1];
      expect(base).toBeDefined();
      await waitForLine(child, /ready at revision 0/);
      expect((await fetch(`${base}/readyz`)).status).toBe(200);
      const token = fs.readFileSync(path.join(dataDir, 'admin-token'), 'utf8').trim();
      expect(token.length).toBeGreaterThanOrEqual(32);
      expect((await fetch(`${base}/v1/realms/acme`, { method: 'PUT' })).status).toBe(401);
      const created = await fetch(`${base}/v1/realms/acme`, { method: 'PUT', headers: { authorization: `Bearer ${token}` } });
      expect(created.status).toBe(201);
    } finally {
      const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });

  test('serves checks on REALMGATE_SOCKET too, replaces a stale socket file, refuses a live one, removes it on SIGTERM', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'realmgate-sock-'));
    fs.cpSync(process.env.REALMGATE_TEST_TEMPLATE as string, dataDir, { recursive: true });
    const socketPath = path.join(dataDir, 'realmgate.sock');
    const check = { realm: 'acme', subject: 'alice', permission: 'orders:rw' };
    const children: ChildProcess[] = [];
    try {
      const first = startService(dataDir, { REALMGATE_SOCKET: socketPath });
      children.push(first);
      await waitForLine(first, /ready at revision/);
      const answer = await postOverSocket(socketPath, '/v1/check', check);
      expect(answer).toEqual({ status: 200, body: { allowed: false, reason: 'unknown_realm', revision: 0 } });
      expect(fs.statSync(socketPath).mode & 0o777).toBe(0o660);
      const bad = await postOverSocket(socketPath, '/v1/check', { ...check, permission: 'no spaces' });
      expect(bad.status).toBe(400);

      // killed without a chance to clean up: the socket file stays behind
      const killed = new Promise((resolve) => first.once('exit', resolve));
      first.kill('SIGKILL');
      await killed;
      expect(fs.statSync(socketPath).isSocket()).toBe(true);

      const second = startService(dataDir, { REALMGATE_SOCKET: socketPath });
      children.push(second);
      await waitForLine(second, /ready at revision/);
      expect((await postOverSocket(socketPath, '/v1/check', check)).status).toBe(200);

      const third = startService(dataDir, { REALMGATE_SOCKET: socketPath });
      children.push(third);
      const refused = new Promise<number | null>((resolve) => third.once('exit', resolve));
      expect(await waitForLine(third, /cannot listen on/).catch((err: Error) => err.message)).toContain('in use by another process');
      expect(await refused).toBe(1);

      const stopped = new Promise<number | null>((resolve) => second.once('exit', resolve));
      second.kill('SIGTERM');
      expect(await stopped).toBe(0);
      expect(fs.existsSync(socketPath)).toBe(false);
    } finally {
      for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
