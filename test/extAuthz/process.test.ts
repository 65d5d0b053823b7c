import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PROJECT_ROOT } from '../../src/projectRoot';
import { grpcCaller } from './envoyCalls';

/** The built service as `npm start` runs it (npm test builds dist/ first). */
const MAIN = path.join(PROJECT_ROOT, 'dist', 'src', 'main.js');
const EXAMPLE = path.join(PROJECT_ROOT, 'deploy', 'envoy', 'ext-authz.yaml');

/** Everything the child writes, from its start; waitFor resolves with the first line matching, seen before or later. */
function outputOf(child: ChildProcess): { waitFor(pattern: RegExp): Promise<string> } {
  let seen = '';
  const waiting: { pattern: RegExp; resolve: (line: string) => void }[] = [];
  const settle = () => {
    for (const w of [...waiting]) {
      const line = seen.split('\n').find((l) => w.pattern.test(l));
      if (line) {
        waiting.splice(waiting.indexOf(w), 1);
        w.resolve(line);
      }
    }
  };
  const exited = new Promise<never>((_, reject) => child.once('exit', (code) => reject(new Error(`exited with ${code}: ${seen}`))));
  exited.catch(() => undefined);
  child.stdout?.on('data', (chunk: Buffer) => ((seen += chunk.toString()), settle()));
  child.stderr?.on('data', (chunk: Buffer) => ((seen += chunk.toString()), settle()));
  return {
    waitFor: (pattern) =>
      Promise.race([
        new Promise<string>((resolve) => {
          waiting.push({ pattern, resolve });
          settle();
        }),
        exited,
      ]),
  };
}

describe('the service process with ext_authz', () => {
  test('a bad routes file stops it with exit code 2 and one line naming the file, the place and the rule', () => {
    const file = path.join(PROJECT_ROOT, 'test', 'extAuthz', 'fixtures', 'bad-method.yaml');
    const result = spawnSync(process.execPath, [MAIN], {
      env: { ...process.env, NODE_OPTIONS: '', REALMGATE_EXT_AUTHZ_CONFIG: file, REALMGATE_GRPC_PORT: '0' },
      encoding: 'utf8',
    });
    expect(result.status).toBe(2);
    const lines = result.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toEqual([
      expect.objectContaining({
        level: 'fatal',
        msg: `bad configuration: REALMGATE_EXT_AUTHZ_CONFIG: ${file}: routes[1].method must be equal to one of the allowed values (*, GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS, CONNECT, TRACE)`,
      }),
    ]);
  });

  test('serves gRPC Check beside HTTP, and stops both on SIGTERM', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'realmgate-extauthz-'));
    fs.cpSync(process.env.REALMGATE_TEST_TEMPLATE as string, dataDir, { recursive: true });
    const child = spawn(process.execPath, [MAIN], {
      env: {
        ...process.env,
        NODE_OPTIONS: '',
        PORT: '0',
        REALMGATE_DATA_DIR: dataDir,
        REALMGATE_ADMIN_TOKEN: 'extauthz-test-token-0123',
        REALMGATE_EXT_AUTHZ_CONFIG: EXAMPLE,
        REALMGATE_GRPC_PORT: '0',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    const output = outputOf(child);
    try {
      const grpcLine = await output.waitFor(/ext_authz gRPC listening on/);
      const address = /listening on (127\.0\.0\.1:\d+)/.exec(grpcLine)?.[1] as string;
      const base = /(http:\/\/127\.0\.0\.1:\d+)/.exec(await output.waitFor(/listening on http/))?.[1] as string;
      await output.waitFor(/ready at revision/);
      const auth = { authorization: 'Bearer extauthz-test-token-0123', 'content-type': 'application/json' };
      expect((await fetch(`${base}/v1/realms/acme`, { method: 'PUT', headers: { authorization: auth.authorization } })).status).toBe(201);
      const put = await fetch(`${base}/v1/realms/acme/users/bob/memberships/eng`, { method: 'PUT', headers: auth, body: '{"permissions":["orders:read"]}' });
      expect(put.status).toBe(201);

      const caller = grpcCaller(address);
      try {
        expect(await caller.ask({ method: 'GET', path: '/orgs/eng/orders', headers: { 'x-jwt-sub': 'bob' } })).toMatchObject({ allowed: true });
      } finally {
        caller.close();
      }
      const http = await fetch(`${base}/ext-authz/orgs/eng/orders`, { headers: { 'x-jwt-sub': 'bob' } });
      expect([http.status, http.headers.get('x-realmgate-org')]).toEqual([200, 'eng']);
    } finally {
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  }, 120_000);
});
