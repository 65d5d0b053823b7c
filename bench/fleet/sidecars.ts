import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';

export interface Sidecar {
  name: string;
  pid: number;
  port: number;
  /** the revision it logged when ready */
  readyRevision: number;
  /** milliseconds from spawn to "ready at revision" */
  startMs: number;
  /** the last lines it printed, for when something goes wrong */
  tail(): string[];
  /** lines it wrote to stderr since it was ready (errors it reported while the benchmark ran) */
  stderrLines(): number;
  stop(): Promise<void>;
}

/** Variables the benchmark sets itself; anything else REALMGATE_* in the caller's environment passes through. */
const OWN = ['PORT', 'HOST', 'DATABASE_URL', 'REALMGATE_ADMIN_TOKEN', 'REALMGATE_DATA_DIR', 'REALMGATE_SOCKET', 'REALMGATE_REALMS', 'REALMGATE_DEFAULT_REALM'];

export interface SidecarOptions {
  name: string;
  root: string;
  /** PostgreSQL; without it, PGlite in dataDir */
  databaseUrl?: string;
  adminToken: string;
  dataDir: string;
  startTimeoutMs: number;
}

/** Starts `node dist/src/main.js` on an ephemeral port and resolves once it logs that it is ready. */
export function startSidecar(options: SidecarOptions): Promise<Sidecar> {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const key of OWN) delete env[key];
  Object.assign(env, {
    PORT: '0',
    HOST: '127.0.0.1',
    REALMGATE_ADMIN_TOKEN: options.adminToken,
    REALMGATE_DATA_DIR: options.dataDir,
    NODE_ENV: 'production',
  });
  if (options.databaseUrl !== undefined) env.DATABASE_URL = options.databaseUrl;
  delete env.NODE_OPTIONS;
  const started = Date.now();
  const child: ChildProcess = spawn(process.execPath, [path.join(options.root, 'dist/src/main.js')], {
    cwd: options.root,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const remember = (line: string) => {
    lines.push(line);
    if (lines.length > 40) lines.shift();
  };
  let exited = false;
  let errorLines = 0;
  const exit = new Promise<void>((resolve) => child.once('exit', () => {
    exited = true;
    resolve();
  }));

  return new Promise<Sidecar>((resolve, reject) => {
    let port = 0;
    let settled = false;
    const fail = (why: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new Error(`sidecar ${options.name} ${why}:\n  ${lines.join('\n  ')}`));
    };
    const timer = setTimeout(() => fail(`not ready within ${options.startTimeoutMs} ms`), options.startTimeoutMs);
    child.once('exit', (code, signal) => fail(`exited (${signal ?? code}) before it was ready`));
    readline.createInterface({ input: child.stderr! }).on('line', (line) => {
      remember(line);
      if (settled) errorLines += 1;
    });
    readline.createInterface({ input: child.stdout! }).on('line', (line) => {
      remember(line);
      // JSON log lines: errors are counted like lines on stderr
      if (settled) {
        if (/"level":"(error|fatal)"/.test(line)) errorLines += 1;
        return;
      }
      const listening = /"msg":"listening on http:\/\/[^:]+:(\d+) \(api\)"/.exec(line);
      if (listening) port = Number(listening[1]);
      const ready = /"msg":"ready at revision (\d+)/.exec(line);
      if (!ready) return;
      if (port === 0) return fail('was ready before it said where it listens');
      settled = true;
      clearTimeout(timer);
      resolve({
        name: options.name,
        pid: child.pid!,
        port,
        readyRevision: Number(ready[1]),
        startMs: Date.now() - started,
        tail: () => [...lines],
        stderrLines: () => errorLines,
        async stop() {
          if (exited) return;
          child.kill('SIGTERM');
          const late = setTimeout(() => child.kill('SIGKILL'), 5_000);
          await exit;
          clearTimeout(late);
        },
      });
    });
  });
}
