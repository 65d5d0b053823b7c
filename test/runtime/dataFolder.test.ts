import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PROJECT_ROOT } from '../../src/projectRoot';
import { DataDirLockedError, LOCK_FILE, lockDataDir } from '../../src/store/dataDirLock';

/** The built service as `npm start` runs it (npm test builds dist/ first). */
const MAIN = path.join(PROJECT_ROOT, 'dist', 'src', 'main.js');
const LOCK_MODULE = path.join(PROJECT_ROOT, 'dist', 'src', 'store', 'dataDirLock.js');

interface Output {
  text: string;
}

function start(dataDir: string): { child: ChildProcess; output: Output; exited: Promise<number | null> } {
  const child = spawn(process.execPath, [MAIN], {
    env: { ...process.env, PORT: '0', REALMGATE_DATA_DIR: dataDir, REALMGATE_ADMIN_TOKEN: 'data-folder-token-0123', NODE_OPTIONS: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: Output = { text: '' };
  child.stdout?.on('data', (c: Buffer) => (output.text += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (output.text += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  return { child, output, exited };
}

function waitFor(child: ChildProcess, output: Output, pattern: RegExp): Promise<void> {
  return new Promise((resolve, reject) => {
    const look = () => {
      if (pattern.test(output.text)) {
        child.stdout?.off('data', look);
        child.stderr?.off('data', look);
        resolve();
      }
    };
    child.stdout?.on('data', look);
    child.stderr?.on('data', look);
    child.once('exit', (code) => reject(new Error(`exited with ${code} before ${pattern}: ${output.text}`)));
    look();
  });
}

function templateCopy(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'realmgate-folder-'));
  fs.cpSync(process.env.REALMGATE_TEST_TEMPLATE as string, dir, { recursive: true });
  return dir;
}

/** Every directory and file under root, with its permission bits. */
function modes(root: string): { path: string; mode: string; dir: boolean }[] {
  const out: { path: string; mode: string; dir: boolean }[] = [];
  const visit = (p: string) => {
    const stat = fs.lstatSync(p);
    out.push({ path: p, mode: (stat.mode & 0o777).toString(8), dir: stat.isDirectory() });
    if (stat.isDirectory()) for (const name of fs.readdirSync(p)) visit(path.join(p, name));
  };
  visit(root);
  return out;
}

describe('one process owns a PGlite data folder', () => {
  test('a second process on the same folder refuses to start with one line naming the folder and the holder; after kill -9 of the holder, a new process takes over', async () => {
    const dataDir = templateCopy();
    const first = start(dataDir);
    try {
      await waitFor(first.child, first.output, /ready at revision/);
      const second = start(dataDir);
      const code = await second.exited;
      expect(code).toBe(1);
      const lines = second.output.text.trim().split('\n').filter((l) => !/listening on|REALMGATE_ADMIN_TOKEN/.test(l));
      // one JSON log line, at fatal, that names the folder and the holder
      expect(lines).toHaveLength(1);
      expect(JSON.parse(lines[0])).toMatchObject({
        level: 'fatal',
        msg: expect.stringMatching(new RegExp(`^cannot start: data folder ${dataDir} is in use by pid ${first.child.pid} on host ${os.hostname()} \\(since .+\\)`)),
      });

      first.child.kill('SIGKILL');
      await first.exited;
      const third = start(dataDir);
      try {
        await waitFor(third.child, third.output, /ready at revision/);
        expect(JSON.parse(fs.readFileSync(path.join(dataDir, LOCK_FILE), 'utf8'))).toMatchObject({ pid: third.child.pid });
      } finally {
        third.child.kill('SIGTERM');
        expect(await third.exited).toBe(0);
      }
    } finally {
      first.child.kill('SIGKILL');
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });

  test('of several processes locking one folder at the same moment, exactly one wins', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'realmgate-race-'));
    const script = `
      const { lockDataDir } = require(${JSON.stringify(LOCK_MODULE)});
      process.stdin.once('data', () => {
        try { lockDataDir(${JSON.stringify(dataDir)}); process.stdout.write('won\\n'); }
        catch (err) { process.stdout.write(err.name === 'DataDirLockedError' ? 'lost\\n' : 'error ' + err.message + '\\n'); }
        process.stdin.once('data', () => process.exit(0));
      });
      process.stdout.write('armed\\n');`;
    const children = Array.from({ length: 4 }, () => spawn(process.execPath, ['-e', script], { stdio: ['pipe', 'pipe', 'inherit'] }));
    const lines = (child: ChildProcess) => {
      const seen: string[] = [];
      const waiters: (() => void)[] = [];
      child.stdout?.on('data', (c: Buffer) => {
        seen.push(...c.toString().split('\n').filter(Boolean));
        waiters.splice(0).forEach((w) => w());
      });
      return (n: number) =>
        new Promise<string[]>((resolve) => {
          const check = () => (seen.length >= n ? resolve(seen) : waiters.push(check));
          check();
        });
    };
    const readers = children.map(lines);
    try {
      await Promise.all(readers.map((read) => read(1)));
      for (const child of children) child.stdin?.write('go\n');
      const outcomes = (await Promise.all(readers.map((read) => read(2)))).map((seen) => seen[1]);
      expect(outcomes.filter((o) => o === 'won')).toHaveLength(1);
      expect(outcomes.filter((o) => o === 'lost')).toHaveLength(3);
    } finally {
      for (const child of children) child.stdin?.end('done\n');
      await Promise.all(children.map((c) => new Promise((resolve) => (c.exitCode !== null ? resolve(null) : c.once('exit', resolve)))));
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });

  test('a lock file naming this very PID (a restarted container is PID 1 again) is taken over: only a live lock counts', () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'realmgate-pid-'));
    try {
      fs.writeFileSync(path.join(dataDir, LOCK_FILE), JSON.stringify({ pid: process.pid, host: os.hostname(), since: '2020-01-01T00:00:00.000Z' }));
      const lock = lockDataDir(dataDir);
      expect(JSON.parse(fs.readFileSync(lock.file, 'utf8'))).toMatchObject({ pid: process.pid, host: os.hostname() });
      lock.release();
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });

  test('a second lock in the same process is refused too, and the folder is free again once released', () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'realmgate-twice-'));
    try {
      const lock = lockDataDir(dataDir);
      let refusal: unknown;
      try {
        lockDataDir(dataDir);
      } catch (err) {
        refusal = err;
      }
      expect(refusal).toBeInstanceOf(DataDirLockedError);
      expect((refusal as Error).message).toContain(`pid ${process.pid} on host ${os.hostname()}`);
      lock.release();
      lockDataDir(dataDir).release();
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });

  test('data files are private to the service user: directories 0700, files 0600, in a new folder and in an existing loose one', async () => {
    const fresh = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'realmgate-perm-')), 'data');
    const loose = templateCopy();
    fs.chmodSync(loose, 0o777);
    for (const entry of modes(loose)) fs.chmodSync(entry.path, entry.dir ? 0o777 : 0o666);
    for (const dataDir of [fresh, loose]) {
      const service = start(dataDir);
      try {
        await waitFor(service.child, service.output, /ready at revision/);
        // a write creates files while the service runs
        const base = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(service.output.text)?.[1];
        const put = await fetch(`${base}/v1/realms/acme`, { method: 'PUT', headers: { authorization: 'Bearer data-folder-token-0123' } });
        expect(put.status).toBe(201);
      } finally {
        service.child.kill('SIGTERM');
        expect(await service.exited).toBe(0);
      }
      const entries = modes(dataDir);
      expect(entries.length).toBeGreaterThan(100);
      expect(entries.filter((e) => e.mode !== (e.dir ? '700' : '600'))).toEqual([]);
    }
    fs.rmSync(path.dirname(fresh), { recursive: true, force: true });
    fs.rmSync(loose, { recursive: true, force: true });
  }, 120_000);
});
