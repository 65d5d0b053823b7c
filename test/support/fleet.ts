import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { PROJECT_ROOT } from '../../src/projectRoot';
import { stateDigest, type StateDigest } from '../../src/services/stateDigest';
import { openDatabase } from '../../src/store/database';
import { loadState } from '../../src/store/loadState';

/**
 * Real sidecar processes (the built service, `node dist/src/main.js`) sharing one PostgreSQL
 * database, for the fleet tests: start, SIGKILL, SIGSTOP/SIGCONT, restart; HTTP helpers; a
 * connection of the test's own to the database, to read the log and terminate a sidecar's
 * connections; waiting with a deadline; a ledger of acknowledged writes to check on every sidecar.
 */

export const MAIN = path.join(PROJECT_ROOT, 'dist', 'src', 'main.js');
export const FLEET_TOKEN = 'fleet-test-admin-token-0123456789';

export interface Reply<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

export interface CheckInput {
  realm: string;
  subject: string;
  org?: string | null;
  permission: string;
}

export interface Decision {
  allowed: boolean;
  reason: string;
  revision: number;
}

export interface Readiness {
  ready: boolean;
  reason?: string;
  revision: number;
  head: number;
  lag: number;
  listening: boolean;
  realms: string[] | null;
  backend: string;
}

const LOG_LINES_KEPT = 400;
/** every child started by any fleet in this process, killed if the process exits without cleaning up */
const allChildren = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of allChildren) {
    try {
      child.kill('SIGCONT');
      child.kill('SIGKILL');
    } catch {
      // already gone
    }
  }
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The environment without anything realmgate reads, so the test runner's settings do not leak in. */
function cleanEnvironment(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value === undefined || key.startsWith('REALMGATE_') || ['DATABASE_URL', 'PORT', 'HOST', 'NODE_OPTIONS'].includes(key)) continue;
    env[key] = value;
  }
  return env;
}

/** One sidecar: the same configuration across restarts, a new process (and port) each time. */
export class Sidecar {
  child: ChildProcess | undefined;
  base = '';
  /** the tail of stdout and stderr, every start, each line prefixed with the start's number */
  readonly log: string[] = [];
  starts = 0;
  /** set when the test ends the process itself; an exit otherwise is reported with the log */
  private exitExpected = false;

  constructor(
    readonly name: string,
    readonly env: Record<string, string>,
  ) {}

  get running(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  get pid(): number {
    if (!this.child?.pid) throw new Error(`${this.name} has no process`);
    return this.child.pid;
  }

  /** Starts the process and resolves once it says it is ready (its port known). */
  async start(timeoutMs = 60_000): Promise<void> {
    if (this.running) throw new Error(`${this.name} is already running`);
    this.starts += 1;
    const start = this.starts;
    const child = spawn(process.execPath, [MAIN], { env: { ...cleanEnvironment(), ...this.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    allChildren.add(child);
    this.exitExpected = false;
    child.once('exit', (code, signal) => {
      allChildren.delete(child);
      if (!this.exitExpected) console.error(`${this.name} exited unexpectedly (code ${code}, signal ${signal}):\n${this.tail()}`);
    });
    let pending = '';
    let listening: string | undefined;
    let readyLine: string | undefined;
    const wake: (() => void)[] = [];
    const onData = (chunk: Buffer) => {
      pending += chunk.toString();
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        this.log.push(`[${start}] ${line}`);
        if (this.log.length > LOG_LINES_KEPT) this.log.splice(0, this.log.length - LOG_LINES_KEPT);
        const m = /listening on (http:\/\/[^\s"]+)/.exec(line);
        if (m) listening = m[1];
        if (/ready at revision \d+/.test(line)) readyLine = line;
      }
      for (const w of wake.splice(0)) w();
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    const deadline = Date.now() + timeoutMs;
    while (!(listening && readyLine)) {
      if (!this.running) throw new Error(`${this.name} exited before it was ready:\n${this.tail()}`);
      if (Date.now() > deadline) throw new Error(`${this.name} not ready within ${timeoutMs} ms:\n${this.tail()}`);
      await new Promise<void>((resolve) => {
        wake.push(resolve);
        setTimeout(resolve, 50);
      });
    }
    this.base = listening;
  }

  /** Sends a signal and, for one that ends the process, waits until it has. */
  async signal(signal: NodeJS.Signals): Promise<void> {
    const child = this.child;
    if (!child || !this.running) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    if (signal === 'SIGKILL' || signal === 'SIGTERM') this.exitExpected = true;
    child.kill(signal);
    if (signal === 'SIGKILL' || signal === 'SIGTERM') {
      // the 10 s grace timer is cleared as soon as the process exits, so it never holds the test runner
      let timer: NodeJS.Timeout | undefined;
      const grace = new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(true), 10_000);
        timer.unref();
      });
      const timedOut = await Promise.race([exited.then(() => false), grace]);
      clearTimeout(timer);
      if (timedOut) {
        child.kill('SIGKILL');
        await exited;
      }
    }
  }

  kill9(): Promise<void> {
    return this.signal('SIGKILL');
  }

  /** Whatever state it is in (even stopped), it is gone afterwards. */
  async destroy(): Promise<void> {
    const child = this.child;
    if (!child || !this.running) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    this.exitExpected = true;
    child.kill('SIGCONT');
    child.kill('SIGKILL');
    await exited;
  }

  tail(lines = 40): string {
    return this.log.slice(-lines).map((l) => `  ${this.name} ${l}`).join('\n');
  }

  async request<T = any>(method: string, url: string, body?: unknown, headers: Record<string, string> = {}, timeoutMs = 15_000): Promise<Reply<T>> {
    const res = await fetch(`${this.base}${url}`, {
      method,
      headers: { authorization: `Bearer ${FLEET_TOKEN}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON: kept as text for the failure message
    }
    return { status: res.status, body: parsed as T, headers: res.headers };
  }

  put<T = any>(url: string, body?: unknown, headers?: Record<string, string>): Promise<Reply<T>> {
    return this.request<T>('PUT', url, body, headers);
  }

  check(input: CheckInput & { atLeast?: number }, timeoutMs?: number): Promise<Reply<Decision>> {
    return this.request<Decision>('POST', '/v1/check', input, {}, timeoutMs);
  }

  checkBatch(checks: CheckInput[], atLeast?: number): Promise<Reply<{ results: Decision[] }>> {
    return this.request('POST', '/v1/check/batch', { checks, ...(atLeast === undefined ? {} : { atLeast }) });
  }

  async state(): Promise<StateDigest> {
    const reply = await this.request<StateDigest>('GET', '/v1/state');
    if (reply.status !== 200) throw new Error(`${this.name}: GET /v1/state answered ${reply.status} ${JSON.stringify(reply.body)}`);
    return reply.body;
  }

  async readyz(): Promise<Readiness> {
    return (await this.request<Readiness>('GET', '/readyz')).body;
  }

  async metric(name: string): Promise<number> {
    const text = (await this.request<string>('GET', '/metrics')).body;
    const line = String(text)
      .split('\n')
      .find((l) => l.startsWith(`${name} `));
    if (!line) throw new Error(`${this.name}: no metric ${name}`);
    return Number(line.split(' ')[1]);
  }
}

/** The sidecars of one test file, on one database; each with its own application_name. */
export class Fleet {
  readonly sidecars: Sidecar[] = [];
  private readonly dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'realmgate-fleet-'));

  constructor(readonly databaseUrl: string) {}

  /** A sidecar named `name` (also its application_name), connecting as `user` if given. */
  add(name: string, env: Record<string, string> = {}, options: { user?: string } = {}): Sidecar {
    const url = new URL(this.databaseUrl);
    url.searchParams.set('application_name', name);
    if (options.user) url.username = options.user;
    const sidecar = new Sidecar(name, {
      PORT: '0',
      HOST: '127.0.0.1',
      DATABASE_URL: url.toString(),
      REALMGATE_ADMIN_TOKEN: FLEET_TOKEN,
      REALMGATE_DATA_DIR: path.join(this.dataDir, name),
      NODE_OPTIONS: '',
      ...env,
    });
    this.sidecars.push(sidecar);
    return sidecar;
  }

  /** The first alone (it applies the migrations), then the rest together. */
  async startAll(): Promise<void> {
    const [first, ...rest] = this.sidecars;
    await first.start();
    await Promise.all(rest.map((s) => s.start()));
  }

  /** Kills every process (even a stopped one). Never throws. */
  async close(): Promise<void> {
    await Promise.all(this.sidecars.map((s) => s.destroy().catch(() => undefined)));
    fs.rmSync(this.dataDir, { recursive: true, force: true });
  }

  tails(lines = 25): string {
    return this.sidecars.map((s) => s.tail(lines)).join('\n');
  }
}

/** The test's own connection to the fleet's database. */
export class FleetDatabase {
  private constructor(
    private readonly client: pg.Client,
    readonly url: string,
  ) {}

  static async connect(url: string): Promise<FleetDatabase> {
    const u = new URL(url);
    u.searchParams.set('application_name', 'fleet-test');
    const client = new pg.Client({ connectionString: u.toString() });
    await client.connect();
    return new FleetDatabase(client, url);
  }

  async query<T extends pg.QueryResultRow = any>(sql: string, params: unknown[] = []): Promise<T[]> {
    return (await this.client.query<T>(sql, params)).rows;
  }

  async head(): Promise<number> {
    const [row] = await this.query<{ head: string | null }>('SELECT max(revision)::text AS head FROM change_log');
    return Number(row.head ?? 0);
  }

  async oldest(): Promise<number> {
    const [row] = await this.query<{ oldest: string | null }>('SELECT min(revision)::text AS oldest FROM change_log');
    return Number(row.oldest ?? 0);
  }

  /** The backends of one sidecar (by application_name): pid and last query. */
  async connectionsOf(applicationName: string): Promise<{ pid: number; query: string; state: string }[]> {
    return this.query(
      `SELECT pid, query, state FROM pg_stat_activity
        WHERE datname = current_database() AND application_name = $1 AND backend_type = 'client backend'`,
      [applicationName],
    );
  }

  /** Terminates the sidecar's backends (only its LISTEN connection when `listenerOnly`); returns what was terminated. */
  async terminate(applicationName: string, listenerOnly = false): Promise<{ pid: number; query: string }[]> {
    const targets = (await this.connectionsOf(applicationName)).filter((c) => !listenerOnly || isListener(c));
    for (const t of targets) await this.query('SELECT pg_terminate_backend($1)', [t.pid]);
    return targets;
  }

  /** What a sidecar loading the database afresh would hold: the oracle for converged state. */
  async freshDigest(realms?: string[]): Promise<StateDigest> {
    const db = await openDatabase({ databaseUrl: this.url, dataDir: os.tmpdir() });
    try {
      return stateDigest(await loadState(db, realms));
    } finally {
      await db.close();
    }
  }

  close(): Promise<void> {
    return this.client.end();
  }
}

export function isListener(connection: { query: string }): boolean {
  return /^\s*LISTEN\s+realmgate_changes\s*$/i.test(connection.query);
}

/**
 * Polls `probe` until it returns something other than undefined or false, or fails after the
 * deadline with `what`, the last value the probe saw, and the sidecars' recent logs.
 */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined | false>,
  options: { timeoutMs?: number; intervalMs?: number; fleet?: Fleet } = {},
): Promise<T> {
  const { timeoutMs = 15_000, intervalMs = 50 } = options;
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined && value !== false) return value;
      last = value;
    } catch (err) {
      last = err instanceof Error ? err.message : err;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; last: ${JSON.stringify(last)}\n${options.fleet?.tails() ?? ''}`);
    }
    await sleep(intervalMs);
  }
}

/**
 * Waits until every sidecar stands at the database's head revision and those serving the same
 * realms report the same digest, which is also what loading the database afresh gives.
 */
export async function expectConverged(fleet: Fleet, db: FleetDatabase, sidecars = fleet.sidecars, timeoutMs = 20_000): Promise<Map<string, StateDigest>> {
  let seen: Record<string, unknown> = {};
  const byRealms = await waitFor(
    'the fleet to converge',
    async () => {
      const head = await db.head();
      const states = await Promise.all(sidecars.map(async (s) => ({ s, state: await s.state() })));
      seen = { head, states: Object.fromEntries(states.map(({ s, state }) => [s.name, state])) };
      const groups = new Map<string, StateDigest>();
      for (const { s, state } of states) {
        if (state.revision !== head) return false;
        const key = s.env.REALMGATE_REALMS ?? '*';
        const other = groups.get(key);
        if (other && other.digest !== state.digest) return false;
        groups.set(key, state);
      }
      // the head may have moved while the states were read
      return (await db.head()) === head ? groups : false;
    },
    { timeoutMs, fleet },
  ).catch((err: Error) => {
    throw new Error(`${err.message}\nseen: ${JSON.stringify(seen, null, 1)}`);
  });
  for (const [key, state] of byRealms) {
    const fresh = await db.freshDigest(key === '*' ? undefined : key.split(','));
    expect({ served: key, ...state }).toEqual({ served: key, ...fresh });
  }
  return byRealms;
}

interface Grant {
  realm: string;
  user: string;
  org: string | null;
  permissions: string[];
  revision: number;
}

/**
 * Every membership write a sidecar acknowledged (2xx): the newest per membership must be what
 * every sidecar serving its realm decides, and the tags only older writes granted must be denied.
 */
export class Ledger {
  private readonly latest = new Map<string, Grant>();
  private readonly superseded = new Map<string, Set<string>>();
  acknowledged = 0;

  record(grant: Grant): void {
    this.acknowledged += 1;
    const key = `${grant.realm}\u0000${grant.user}\u0000${grant.org ?? ''}`;
    const before = this.latest.get(key);
    if (before && before.revision > grant.revision) {
      this.addSuperseded(key, grant.permissions);
      return;
    }
    if (before) this.addSuperseded(key, before.permissions);
    this.latest.set(key, grant);
  }

  private addSuperseded(key: string, permissions: string[]): void {
    const set = this.superseded.get(key) ?? new Set<string>();
    for (const p of permissions) set.add(p);
    this.superseded.set(key, set);
  }

  get revision(): number {
    return Math.max(0, ...[...this.latest.values()].map((g) => g.revision));
  }

  /** The checks that must be allowed and those that must be denied, for the realms given (or all). */
  expectations(realms?: string[]): { check: CheckInput; allowed: boolean }[] {
    const out: { check: CheckInput; allowed: boolean }[] = [];
    for (const [key, g] of this.latest) {
      if (realms && !realms.includes(g.realm)) continue;
      const base = { realm: g.realm, subject: g.user, ...(g.org === null ? {} : { org: g.org }) };
      for (const p of g.permissions) out.push({ check: { ...base, permission: p }, allowed: true });
      for (const p of this.superseded.get(key) ?? []) {
        if (!g.permissions.includes(p)) out.push({ check: { ...base, permission: p }, allowed: false });
      }
    }
    return out;
  }

  /** Checks every acknowledged write on the sidecar (at least at the newest revision); returns what disagrees. */
  async mismatches(sidecar: Sidecar, realms?: string[]): Promise<string[]> {
    const expected = this.expectations(realms);
    const wrong: string[] = [];
    for (let i = 0; i < expected.length; i += 1000) {
      const chunk = expected.slice(i, i + 1000);
      const reply = await sidecar.checkBatch(
        chunk.map((e) => e.check),
        this.revision,
      );
      if (reply.status !== 200) {
        wrong.push(`${sidecar.name}: batch answered ${reply.status} ${JSON.stringify(reply.body)}`);
        continue;
      }
      reply.body.results.forEach((r, j) => {
        if (r.allowed !== chunk[j].allowed) wrong.push(`${sidecar.name}: ${JSON.stringify(chunk[j].check)} -> ${JSON.stringify(r)}, expected allowed=${chunk[j].allowed}`);
      });
    }
    return wrong;
  }

  /** Asserts every acknowledged write on every given sidecar (each for the realms it serves). */
  async expectPresent(sidecars: Sidecar[]): Promise<void> {
    const wrong: string[] = [];
    for (const s of sidecars) {
      const served = s.env.REALMGATE_REALMS?.split(',');
      wrong.push(...(await this.mismatches(s, served)));
    }
    expect(wrong.slice(0, 20)).toEqual([]);
  }
}

/**
 * Runs `count` writes (at least; more while `more()` says so, up to `max`) through `writers`,
 * `perWriter` at a time on each, in index order; `onAck` sees every answer as it arrives.
 */
export async function streamWrites(options: {
  writers: Sidecar[];
  count: number;
  perWriter: number;
  write: (writer: Sidecar, index: number) => Promise<Reply>;
  onAnswer?: (index: number, reply: Reply | Error, writer: Sidecar) => void;
  more?: () => boolean;
  max?: number;
  pauseMs?: number;
}): Promise<{ answered: number; failed: { index: number; error: string }[] }> {
  let next = 0;
  let answered = 0;
  const failed: { index: number; error: string }[] = [];
  const max = options.max ?? options.count;
  const worker = async (writer: Sidecar) => {
    for (;;) {
      if (next >= max || (next >= options.count && !(options.more?.() ?? false))) return;
      const index = next++;
      let reply: Reply | Error;
      try {
        reply = await options.write(writer, index);
        answered += 1;
      } catch (err) {
        reply = err instanceof Error ? err : new Error(String(err));
        failed.push({ index, error: reply.message });
      }
      options.onAnswer?.(index, reply, writer);
      if (options.pauseMs) await sleep(options.pauseMs);
    }
  };
  await Promise.all(options.writers.flatMap((w) => Array.from({ length: options.perWriter }, () => worker(w))));
  return { answered, failed };
}

export { sleep };
