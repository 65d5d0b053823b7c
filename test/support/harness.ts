import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { RequestListener } from 'node:http';
import request from 'supertest';
import { createApp } from '../../src/app';
import { readConfig, type Config } from '../../src/config';
import { acceptedHostNames } from '../../src/http/hostNames';
import { DecisionLog } from '../../src/http/decisionLog';
import { EventStreams } from '../../src/http/eventStreams';
import type { Lifecycle } from '../../src/http/lifecycle';
import { startRuntime, type Runtime } from '../../src/runtime/startRuntime';
import { createScratchDatabase } from './postgres';

export const TEST_TOKEN = 'test-admin-token-0123456789';
export type Backend = 'pglite' | 'postgres';

/** A clock tests can move; starts at the real time and runs with it unless frozen. */
export class TestClock {
  private offset = 0;
  private frozenAt: number | undefined;
  now = (): number => (this.frozenAt ?? Date.now()) + this.offset;
  advance(ms: number): void {
    this.offset += ms;
  }
  /** Stops the clock where it is: from then on only advance() moves it, so expiry is exact to the ms. */
  freeze(): void {
    this.frozenAt = this.now();
    this.offset = 0;
  }
}

export interface Harness {
  readonly backend: Backend;
  readonly runtime: Runtime;
  readonly app: RequestListener;
  readonly clock: TestClock;
  readonly config: Config;
  /** management request with the bearer token */
  admin: {
    put(url: string, body?: unknown): request.Test;
    post(url: string, body?: unknown): request.Test;
    get(url: string): request.Test;
    delete(url: string): request.Test;
    patch(url: string, body?: unknown): request.Test;
  };
  /** open event streams of the app */
  readonly streams: EventStreams;
  /** the decision log, when REALMGATE_DECISION_LOG is on in env */
  readonly decisionLog?: DecisionLog;
  /** unauthenticated request */
  http(): ReturnType<typeof request>;
  /** closes and opens the same storage again, as a restart would */
  restart(): Promise<void>;
  close(): Promise<void>;
}

export interface HarnessOptions {
  backend?: Backend;
  defaultRealm?: string;
  maxBodyBytes?: number;
  /** more configuration, as environment variables */
  env?: Record<string, string>;
  /** with backend postgres: join this database (another harness's) instead of a scratch one */
  databaseUrl?: string;
  /** told the duration of every write (startRuntime's onWrite) */
  onWrite?: (seconds: number, outcome: 'committed' | 'failed') => void;
  /** with backend pglite: copy the template into this (new) folder instead of a temporary one */
  dataDir?: string;
}

/** A copy of the migrated PGlite template made by globalSetup: opens in well under a second. */
function pgliteDataDir(into?: string): string {
  const template = process.env.REALMGATE_TEST_TEMPLATE;
  if (!template) throw new Error('REALMGATE_TEST_TEMPLATE is not set: run through jest (globalSetup)');
  const dir = into ?? fs.mkdtempSync(path.join(os.tmpdir(), 'realmgate-test-'));
  fs.cpSync(template, dir, { recursive: true });
  return dir;
}

export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const backend = options.backend ?? 'pglite';
  const clock = new TestClock();
  let dataDir: string;
  let databaseUrl: string | undefined;
  let dropDatabase = async () => undefined as void;
  if (backend === 'postgres' && options.databaseUrl) {
    databaseUrl = options.databaseUrl;
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'realmgate-test-'));
  } else if (backend === 'postgres') {
    const scratch = await createScratchDatabase();
    databaseUrl = scratch.url;
    dropDatabase = scratch.drop;
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'realmgate-test-'));
  } else {
    dataDir = pgliteDataDir(options.dataDir);
  }
  const config = readConfig({
    REALMGATE_DATA_DIR: dataDir,
    DATABASE_URL: databaseUrl,
    REALMGATE_ADMIN_TOKEN: TEST_TOKEN,
    REALMGATE_DEFAULT_REALM: options.defaultRealm,
    REALMGATE_MAX_BODY_BYTES: options.maxBodyBytes?.toString(),
    ...options.env,
  });
  const lifecycle: Lifecycle = {};
  const start = async () => {
    const runtime = await startRuntime(config, { now: clock.now, onWrite: options.onWrite });
    lifecycle.deps = runtime.deps;
    return runtime;
  };
  let runtime = await start();
  const streams = new EventStreams();
  const decisionLog = DecisionLog.open(config);
  const app = createApp({
    lifecycle,
    streams,
    decisionLog,
    adminToken: TEST_TOKEN,
    maxBodyBytes: config.maxBodyBytes,
    validateResponses: true,
    checkAuth: config.checkAuth,
    acceptedHosts: acceptedHostNames(config.host, config.allowedHosts) ?? 'any',
    extAuthz: config.extAuthz,
    console: config.console,
    onInternalError: (err) => console.error('internal error (a response broke openapi.yaml?):', err),
  });
  const auth = (t: request.Test) => t.set('Authorization', `Bearer ${TEST_TOKEN}`);
  return {
    backend,
    get runtime() {
      return runtime;
    },
    app,
    clock,
    config,
    admin: {
      put: (url, body) => auth(request(app).put(url)).send(body as object),
      post: (url, body) => auth(request(app).post(url)).send(body as object),
      get: (url) => auth(request(app).get(url)),
      delete: (url) => auth(request(app).delete(url)),
      patch: (url, body) => auth(request(app).patch(url)).send(body as object),
    },
    streams,
    decisionLog,
    http: () => request(app),
    restart: async () => {
      lifecycle.deps = undefined;
      await runtime.close();
      runtime = await start();
    },
    close: async () => {
      streams.closeAll();
      decisionLog?.close();
      await runtime.close();
      await dropDatabase();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
