import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PROJECT_ROOT } from '../../src/projectRoot';
import { waitForLine } from '../support/waitForLine';

export const BIN = path.join(PROJECT_ROOT, 'dist', 'src', 'cli', 'main.js');

export interface Sidecar {
  url: string;
  socket: string;
  token: string;
  tokenFile: string;
  dir: string;
  stop(): Promise<void>;
}


/** A real `realmgate serve` process on PGlite (from the test template), on a TCP port and a Unix socket. */
export async function startSidecar(): Promise<Sidecar> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rg-cli-'));
  const dataDir = path.join(dir, 'data');
  fs.cpSync(process.env.REALMGATE_TEST_TEMPLATE as string, dataDir, { recursive: true });
  const token = 'cli-test-admin-token-0123456789';
  const tokenFile = path.join(dir, 'token');
  fs.writeFileSync(tokenFile, `${token}\n`);
  const socket = path.join(dir, 'rg.sock');
  const child = spawn(process.execPath, [BIN, 'serve'], {
    env: { ...process.env, PORT: '0', REALMGATE_DATA_DIR: dataDir, REALMGATE_ADMIN_TOKEN: token, REALMGATE_SOCKET: socket, NODE_OPTIONS: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const ready = waitForLine(child, /ready at revision/);
  const listening = await waitForLine(child, /listening on http/);
  const url = /(http:\/\/127\.0\.0\.1:\d+)/.exec(listening)?.[1] as string;
  await ready;
  return {
    url,
    socket,
    token,
    tokenFile,
    dir,
    async stop() {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
