/**
 * `realmgate test --url`: the same test files against a real realmgate process (started with
 * `realmgate serve`, as `npm start` does), through its HTTP API, in scratch realms deleted after.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCli } from '../../src/cli/main';
import type { CliIo } from '../../src/cli/io';
import { PROJECT_ROOT } from '../../src/projectRoot';
import { SHOP, SHOP_EXPIRY_TESTS, writeTestFiles } from './support';
import { waitForLine } from '../support/waitForLine';

const BIN = path.join(PROJECT_ROOT, 'dist', 'src', 'cli', 'main.js');
const TOKEN = 'live-policy-test-token-0123';
const EXAMPLES = path.join(PROJECT_ROOT, 'policies', 'examples');

let child: ChildProcess;
let base: string;
let dataDir: string;
let tokenFile: string;


beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'realmgate-live-'));
  fs.cpSync(process.env.REALMGATE_TEST_TEMPLATE as string, dataDir, { recursive: true });
  tokenFile = path.join(dataDir, 'token');
  fs.writeFileSync(tokenFile, `${TOKEN}\n`);
  child = spawn(process.execPath, [BIN, 'serve'], {
    env: { ...process.env, PORT: '0', REALMGATE_DATA_DIR: dataDir, REALMGATE_ADMIN_TOKEN: TOKEN, NODE_OPTIONS: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const ready = waitForLine(child, /ready at revision/);
  const listening = await waitForLine(child, /listening on/);
  base = /(http:\/\/127\.0\.0\.1:\d+)/.exec(listening)?.[1] as string;
  await ready;
}, 180_000);

afterAll(async () => {
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
  fs.rmSync(dataDir, { recursive: true, force: true });
});

async function cli(args: string[], env: Record<string, string> = {}): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIo = { out: (t) => void (out += t), err: (t) => void (err += t), env };
  return { code: await runCli(args, io), out, err };
}

const servedRealms = async (): Promise<string[]> =>
  ((await (await fetch(`${base}/v1/state`, { headers: { authorization: `Bearer ${TOKEN}` } })).json()) as { realms: string[] }).realms;

test('the example twins pass against the live sidecar; what it cannot hold is skipped, with the reason', async () => {
  const { code, out, err } = await cli(['test', EXAMPLES, '--url', base, '--token-file', tokenFile, '--json']);
  expect(err).toBe('');
  expect(code).toBe(0);
  const run = JSON.parse(out);
  expect(run.totals.failed).toBe(0);
  expect(run.totals.badFiles).toBe(0);
  const skipped = run.files.flatMap((f: { tests: { status: string; name: string; message: string }[] }) => f.tests.filter((t) => t.status === 'skipped'));
  expect(skipped.map((t: { name: string }) => t.name).sort()).toEqual([
    'a membership that lapsed before now is expired, whether or not cleanup has run',
    'only the expiring membership ends',
    "the contractor's access ends at expiresAt exactly",
    "the contractor's access holds until its last millisecond",
  ]);
  expect(run.totals.passed).toBeGreaterThan(60);
  expect(await servedRealms()).toEqual([]);
}, 180_000);

test('a failure against the live sidecar names the test and the difference; the token comes from REALMGATE_TOKEN', async () => {
  const dir = writeTestFiles({ 'shop.test.yaml': (SHOP + SHOP_EXPIRY_TESTS).replace('reason: user_disabled', 'reason: no_grant') });
  const { code, out } = await cli(['test', dir, '--url', base], { REALMGATE_TOKEN: TOKEN });
  expect(code).toBe(1);
  expect(out).toContain('  ✗ disabled\n      reason: expected "no_grant", got "user_disabled"');
  expect(out).toContain('4 passed, 1 failed, 2 skipped');
  expect(await servedRealms()).toEqual([]);
});

test('a wrong token is reported and exits 2, leaving nothing behind', async () => {
  const dir = writeTestFiles({ 'shop.test.yaml': SHOP });
  const { code, err } = await cli(['test', dir, '--url', base], { REALMGATE_TOKEN: 'not-the-token-0123456' });
  expect(code).toBe(2);
  expect(err).toMatch(/answered 40[13] /);
  expect(await servedRealms()).toEqual([]);
});
