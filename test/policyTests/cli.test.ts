/**
 * The `realmgate` command line: help with examples on every command, exit codes CI can trust,
 * and the test command's report formats.
 */
import { spawnSync } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { XMLValidator } from 'fast-xml-parser';
import { runCli } from '../../src/cli/main';
import type { CliIo } from '../../src/cli/io';
import { PROJECT_ROOT } from '../../src/projectRoot';
import { SHOP, writeTestFiles } from './support';

/** Runs the CLI in process and collects what it writes. */
async function cli(args: string[], env: Record<string, string> = {}): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIo = { out: (t) => void (out += t), err: (t) => void (err += t), env };
  const code = await runCli(args, io);
  return { code, out, err };
}

const EXAMPLES = path.join(PROJECT_ROOT, 'policies', 'examples');

describe('help', () => {
  test.each([[[]], [['serve']], [['test']]])('%j --help shows usage with examples and exits 0', async (command) => {
    const { code, out } = await cli([...command, '--help']);
    expect(code).toBe(0);
    expect(out).toContain('Usage: realmgate');
    expect(out).toContain('Examples:');
  });

  test('the built bin answers --version and --help as a process', () => {
    const bin = path.join(PROJECT_ROOT, 'dist', 'src', 'cli', 'main.js');
    const version = spawnSync(process.execPath, [bin, '--version'], { encoding: 'utf8' });
    expect(version.status).toBe(0);
    expect(version.stdout.trim()).toBe(JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')).version);
    const pkg = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8'));
    expect(pkg.bin.realmgate).toBe('dist/src/cli/main.js');
    expect(pkg.scripts.start).toBe('node dist/src/cli/main.js serve');
  });
});

describe('usage errors exit 2', () => {
  test.each([
    ['an unknown command', ['bogus']],
    ['an unknown option', ['test', '--frobnicate']],
    ['an unknown reporter', ['test', EXAMPLES, '--reporter', 'tap']],
    ['a token file without a URL', ['test', EXAMPLES, '--token-file', '/tmp/x']],
    ['a URL that is not http', ['test', EXAMPLES, '--url', 'ftp://x']],
    ['an unreadable token file', ['test', EXAMPLES, '--url', 'http://127.0.0.1:1', '--token-file', '/nonexistent/token']],
  ])('%s', async (_name, args) => {
    const { code, err } = await cli(args);
    expect(code).toBe(2);
    expect(err.length).toBeGreaterThan(0);
  });
});

describe('realmgate test', () => {
  test('passing files: exit 0 and a line per file', async () => {
    const { code, out } = await cli(['test', EXAMPLES]);
    expect(code).toBe(0);
    expect(out.split('\n').filter((l) => l.startsWith('PASS '))).toHaveLength(5);
    expect(out).toMatch(/\d+ passed, 0 failed, 0 skipped in 5 files/);
  });

  test('a failing test: exit 1; --json gives the report as data', async () => {
    const dir = writeTestFiles({ 'shop.test.yaml': SHOP.replace('reason: no_grant', 'reason: no_membership') });
    const { code, out } = await cli(['test', dir, '--json']);
    expect(code).toBe(1);
    const report = JSON.parse(out);
    expect(report.totals).toEqual({ files: 1, passed: 4, failed: 1, skipped: 0, badFiles: 0 });
    expect(report.files[0].tests[2]).toMatchObject({
      name: 'realm-level is separate',
      status: 'failed',
      differences: [{ field: 'reason', expected: 'no_membership', actual: 'no_grant' }],
    });
  });

  test('a bad file: exit 2, naming the file, the path and the rule', async () => {
    const dir = writeTestFiles({ 'bad.test.yaml': SHOP.replace('allowed: false, reason: user_disabled', 'allowed: nope') });
    const { code, out } = await cli(['test', dir]);
    expect(code).toBe(2);
    expect(out).toContain(`ERROR ${path.join(dir, 'bad.test.yaml')}: tests[3].expect.allowed: must be boolean`);
  });

  test('--reporter junit --output writes XML to the file and a summary to stdout', async () => {
    const dir = writeTestFiles({ 'shop.test.yaml': SHOP });
    const output = path.join(dir, 'junit.xml');
    const { code, out } = await cli(['test', dir, '--reporter', 'junit', '--output', output]);
    expect(code).toBe(0);
    const xml = fs.readFileSync(output, 'utf8');
    expect(XMLValidator.validate(xml)).toBe(true);
    expect(xml).toContain('<testsuites name="realmgate policy tests" tests="5" failures="0" errors="0" skipped="0"');
    expect(out).toContain('5 passed, 0 failed');
  });

  test('a sidecar that cannot be reached: exit 2, saying so', async () => {
    // a port that was free a moment ago: nothing listens on it
    const probe = net.createServer().listen(0, '127.0.0.1');
    await once(probe, 'listening');
    const { port } = probe.address() as net.AddressInfo;
    await new Promise((resolve) => probe.close(resolve));
    const url = `http://127.0.0.1:${port}`;
    const { code, err } = await cli(['test', writeTestFiles({ 'shop.test.yaml': SHOP }), '--url', url], { REALMGATE_TOKEN: 'x' });
    expect(code).toBe(2);
    expect(err).toContain(`realmgate could not be reached: connect ECONNREFUSED 127.0.0.1:${port}`);
  });

  test('--reporter junit without --output writes XML to stdout', async () => {
    const { code, out } = await cli(['test', writeTestFiles({ 'shop.test.yaml': SHOP }), '--reporter', 'junit']);
    expect(code).toBe(0);
    expect(out.startsWith('<?xml')).toBe(true);
    expect(XMLValidator.validate(out)).toBe(true);
  });
});
