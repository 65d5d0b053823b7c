/**
 * `realmgate import` of 100,000 memberships into a realm of a fresh PGlite-backed sidecar, through
 * the command line as an operator runs it. Writes bench/import-results.md.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { PROJECT_ROOT } from '../src/projectRoot';

const BIN = path.join(PROJECT_ROOT, 'dist', 'src', 'cli', 'main.js');
const MEMBERSHIPS = Number(process.env.BENCH_IMPORT_MEMBERSHIPS ?? 100_000);
const BATCH_SIZES = (process.env.BENCH_IMPORT_BATCH_SIZES ?? '2000,5000').split(',').map(Number);
const TOKEN = 'bench-import-admin-token-0123456789';

function waitForLine(proc: ChildProcess, pattern: RegExp): Promise<string> {
  return new Promise((resolve, reject) => {
    let seen = '';
    const onData = (chunk: Buffer) => {
      seen += chunk.toString();
      const line = seen.split('\n').find((l) => pattern.test(l));
      if (line) resolve(line);
    };
    proc.stdout?.on('data', onData);
    proc.stderr?.on('data', onData);
    proc.once('exit', (code) => reject(new Error(`exited with ${code}: ${seen}`)));
  });
}

/** 100,000 memberships: 20,000 users in 5 orgs each, two roles, a few direct tags, some expiries. */
function writeInput(file: string): void {
  const out = fs.openSync(file, 'w');
  const lines = [JSON.stringify({ kind: 'role', role: 'clerk', permissions: ['orders:read', 'orders:write'] }), JSON.stringify({ kind: 'role', role: 'viewer', permissions: ['orders:read', 'reports.*'] })];
  for (let i = 0; i < MEMBERSHIPS; i += 1) {
    const m: Record<string, unknown> = { user: `user-${Math.floor(i / 5)}`, org: `org-${i % 5}`, roles: [i % 3 === 0 ? 'clerk' : 'viewer'], permissions: [`widget:${i}`] };
    if (i % 10 === 0) m.expiresAt = '2099-01-01T00:00:00Z';
    lines.push(JSON.stringify(m));
    if (lines.length >= 10_000) fs.writeSync(out, `${lines.splice(0).join('\n')}\n`);
  }
  fs.writeSync(out, `${lines.join('\n')}\n`);
  fs.closeSync(out);
}

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rg-bench-import-'));
  const input = path.join(dir, 'memberships.ndjson');
  writeInput(input);
  const server = spawn(process.execPath, [BIN, 'serve'], {
    env: { ...process.env, PORT: '0', REALMGATE_DATA_DIR: path.join(dir, 'data'), REALMGATE_ADMIN_TOKEN: TOKEN, NODE_OPTIONS: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const rows: string[] = [];
  try {
    const listening = await waitForLine(server, /listening on http/);
    const url = /(http:\/\/127\.0\.0\.1:\d+)/.exec(listening)?.[1] as string;
    await waitForLine(server, /ready at revision/).catch(() => undefined);
    for (const batchSize of BATCH_SIZES) {
      const realm = `bench-${batchSize}`;
      await fetch(`${url}/v1/realms/${realm}`, { method: 'PUT', headers: { authorization: `Bearer ${TOKEN}` } });
      const loadBefore = os.loadavg()[0];
      const started = performance.now();
      const { stdout } = await promisify(execFile)(process.execPath, [BIN, 'import', input, '--realm', realm, '--batch-size', String(batchSize), '--json'], {
        env: { ...process.env, REALMGATE_URL: url, REALMGATE_TOKEN: TOKEN, NODE_OPTIONS: '' },
        maxBuffer: 64 * 1024 * 1024,
      });
      const seconds = (performance.now() - started) / 1000;
      const report = JSON.parse(stdout) as { memberships: { upserted: number }; rejected: unknown[]; batches: number };
      const line = `| ${batchSize} | ${report.memberships.upserted} | ${report.rejected.length} | ${report.batches} | ${seconds.toFixed(1)} s | ${Math.round(report.memberships.upserted / seconds)} /s | ${loadBefore.toFixed(1)} / ${os.loadavg()[0].toFixed(1)} |`;
      rows.push(line);
      process.stdout.write(`${line}\n`);
    }
  } finally {
    server.kill('SIGTERM');
    await new Promise((resolve) => server.once('exit', resolve));
    fs.rmSync(dir, { recursive: true, force: true });
  }
  const text = [
    '# `realmgate import`: 100,000 memberships into PGlite',
    '',
    `\`npm run bench:import\`, ${new Date().toISOString().slice(0, 10)}: Node ${process.version}, ${os.cpus().length} vCPU (${os.cpus()[0]?.model ?? 'unknown'}), ${Math.round(os.totalmem() / 2 ** 30)} GiB.`,
    'A fresh `realmgate serve` on embedded PGlite; the command line run as a separate process with',
    `an NDJSON file of ${MEMBERSHIPS.toLocaleString('en')} memberships (20,000 users in 5 orgs each, two roles, one direct tag each,`,
    'one in ten with an expiry), into an empty realm. The time is the whole command: reading, local',
    "validation, HTTP, and the sidecar's writes (database first, then memory). The machine is shared:",
    'the 1-minute load average before and after each run is given, so read the times as upper bounds.',
    '',
    '| batch size | written | rejected | requests | time | rate | load avg (before / after) |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    ...rows,
    '',
  ].join('\n');
  fs.writeFileSync(path.join(PROJECT_ROOT, 'bench', 'import-results.md'), text);
}

main().catch((err) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exitCode = 1;
});
