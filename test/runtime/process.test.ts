import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PROJECT_ROOT } from '../../src/projectRoot';

/** The built service as `npm start` runs it (npm test builds dist/ first). */
const MAIN = path.join(PROJECT_ROOT, 'dist', 'src', 'main.js');

function waitForLine(child: ChildProcess, pattern: RegExp): Promise<string> {
  return new Promise((resolve, reject) => {
    let seen = '';
    const onData = (chunk: Buffer) => {
      seen += chunk.toString();
      const line = seen.split('\n').find((l) => pattern.test(l));
      if (line) resolve(line);
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`exited with ${code} before ${pattern}: ${seen}`)));
  });
}

describe('the service process', () => {
  test('bad configuration: one clear line and a non-zero exit', () => {
    const result = spawnSync(process.execPath, [MAIN], { env: { ...process.env, PORT: 'eighty' }, encoding: 'utf8' });
    expect(result.status).toBe(2);
    expect(result.stderr.trim().split('\n')).toEqual(["realmgate: bad configuration: PORT must be an integer from 0 to 65535, got 'eighty'"]);
    expect(result.stdout).toBe('');
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
});
