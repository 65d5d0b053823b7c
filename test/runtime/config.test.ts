import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigError, readConfig } from '../../src/config';
import { localAdminToken } from '../../src/runtime/adminToken';

describe('configuration', () => {
  test('defaults: 127.0.0.1:8181, PGlite in ./data, no default realm', () => {
    expect(readConfig({})).toEqual({
      port: 8181,
      host: '127.0.0.1',
      databaseUrl: undefined,
      dataDir: './data',
      adminToken: undefined,
      defaultRealm: undefined,
      maxBodyBytes: 10 * 1024 * 1024,
      socketPath: undefined,
      realms: undefined,
      maxWaitMs: 2000,
      readyMaxLag: 100,
      pollMs: 1000,
      logRetentionSeconds: 7 * 24 * 3600,
      checkAuth: 'none',
      allowOpenChecks: false,
      allowedHosts: undefined,
      logLevel: 'info',
      probePort: undefined,
      probeHost: '0.0.0.0',
      shutdownTimeoutMs: 10_000,
      headersTimeoutMs: 10_000,
      requestTimeoutMs: 30_000,
      keepAliveTimeoutMs: 5_000,
      extAuthz: undefined,
      grpcPort: undefined,
      grpcHost: '127.0.0.1',
      minFreeBytes: 64 * 1024 * 1024,
      pgliteSharedBuffersMb: 16,
      webhookTimeoutMs: 15_000,
      webhookRetrySchedule: [0, 5_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000, 36_000_000],
      webhookAllowPrivate: false,
      webhookPipeline: 16,
      webhookKey: undefined,
      streamHeartbeatMs: 15_000,
      decisionLog: 'off',
      decisionLogSample: 1,
      decisionLogFile: undefined,
      dbPoolSize: 2,
      dbIdleTimeoutMs: 10_000,
      dbConnectTimeoutMs: 30_000,
      console: true,
    });
  });

  test('PostgreSQL connections: pool size and timeouts', () => {
    const config = readConfig({ REALMGATE_DB_POOL_SIZE: '5', REALMGATE_DB_IDLE_TIMEOUT_MS: '0', REALMGATE_DB_CONNECT_TIMEOUT_MS: '2000' });
    expect(config).toMatchObject({ dbPoolSize: 5, dbIdleTimeoutMs: 0, dbConnectTimeoutMs: 2000 });
    expect(() => readConfig({ REALMGATE_DB_POOL_SIZE: '0' })).toThrow(/REALMGATE_DB_POOL_SIZE must be an integer from 1 to 100, got '0'/);
    expect(() => readConfig({ REALMGATE_DB_CONNECT_TIMEOUT_MS: '10' })).toThrow(/REALMGATE_DB_CONNECT_TIMEOUT_MS must be an integer from 100/);
  });

  test('webhooks, the change stream and the decision log', () => {
    const config = readConfig({
      REALMGATE_WEBHOOK_TIMEOUT_MS: '2500',
      REALMGATE_WEBHOOK_RETRY_SCHEDULE: '0, 300ms,5s,2m,1h',
      REALMGATE_WEBHOOK_ALLOW_PRIVATE: 'true',
      REALMGATE_WEBHOOK_PIPELINE: '1',
      REALMGATE_WEBHOOK_KEY: 'sixteen-chars-ok',
      REALMGATE_STREAM_HEARTBEAT_MS: '500',
      REALMGATE_DECISION_LOG: 'denied',
      REALMGATE_DECISION_LOG_SAMPLE: '0.25',
      REALMGATE_DECISION_LOG_FILE: '/var/log/realmgate/decisions.ndjson',
    });
    expect(config).toMatchObject({
      webhookTimeoutMs: 2500,
      webhookRetrySchedule: [0, 300, 5_000, 120_000, 3_600_000],
      webhookAllowPrivate: true,
      webhookPipeline: 1,
      webhookKey: 'sixteen-chars-ok',
      streamHeartbeatMs: 500,
      decisionLog: 'denied',
      decisionLogSample: 0.25,
      decisionLogFile: '/var/log/realmgate/decisions.ndjson',
    });
    expect(Object.isFrozen(config.webhookRetrySchedule)).toBe(true);
    expect(readConfig({ REALMGATE_DECISION_LOG: 'all', REALMGATE_DECISION_LOG_SAMPLE: '0' })).toMatchObject({ decisionLog: 'all', decisionLogSample: 0 });
    expect(readConfig({ REALMGATE_WEBHOOK_ALLOW_PRIVATE: 'false' }).webhookAllowPrivate).toBe(false);
  });

  test('the web console is served unless REALMGATE_CONSOLE=false', () => {
    expect(readConfig({}).console).toBe(true);
    expect(readConfig({ REALMGATE_CONSOLE: 'true' }).console).toBe(true);
    expect(readConfig({ REALMGATE_CONSOLE: 'false' }).console).toBe(false);
  });

  test('logging, the probe listener, shutdown and server timeouts', () => {
    expect(
      readConfig({
        REALMGATE_LOG_LEVEL: 'debug',
        REALMGATE_PROBE_PORT: '9090',
        REALMGATE_PROBE_HOST: '10.0.0.7',
        REALMGATE_SHUTDOWN_TIMEOUT_MS: '2500',
        REALMGATE_HEADERS_TIMEOUT_MS: '2000',
        REALMGATE_REQUEST_TIMEOUT_MS: '4000',
        REALMGATE_KEEPALIVE_TIMEOUT_MS: '0',
      }),
    ).toMatchObject({
      logLevel: 'debug',
      probePort: 9090,
      probeHost: '10.0.0.7',
      shutdownTimeoutMs: 2500,
      headersTimeoutMs: 2000,
      requestTimeoutMs: 4000,
      keepAliveTimeoutMs: 0,
    });
  });

  test('checks on an open network: HOST, REALMGATE_CHECK_AUTH, REALMGATE_ALLOW_OPEN_CHECKS, REALMGATE_ALLOWED_HOSTS', () => {
    expect(readConfig({ HOST: '0.0.0.0', REALMGATE_CHECK_AUTH: 'token' })).toMatchObject({ host: '0.0.0.0', checkAuth: 'token' });
    expect(readConfig({ HOST: '10.1.2.3', REALMGATE_ALLOW_OPEN_CHECKS: 'true' })).toMatchObject({ checkAuth: 'none', allowOpenChecks: true });
    expect(readConfig({ HOST: 'localhost' }).host).toBe('localhost');
    expect(readConfig({ HOST: '127.0.0.2' }).host).toBe('127.0.0.2');
    expect(readConfig({ HOST: '::1' }).host).toBe('::1');
    expect(readConfig({ REALMGATE_ALLOWED_HOSTS: 'App.Internal, rg.example.com' }).allowedHosts).toEqual(['app.internal', 'rg.example.com']);
  });

  test('reads every variable and freezes the result', () => {
    const config = readConfig({
      PORT: '9000',
      HOST: '0.0.0.0',
      DATABASE_URL: 'postgresql://u@db:5432/rg',
      REALMGATE_DATA_DIR: '/var/lib/realmgate',
      REALMGATE_ADMIN_TOKEN: 'a-long-enough-token',
      REALMGATE_DEFAULT_REALM: 'acme',
      REALMGATE_SOCKET: '/run/realmgate/rg.sock',
      REALMGATE_REALMS: 'acme, partners,acme',
      REALMGATE_MAX_WAIT_MS: '500',
      REALMGATE_READY_MAX_LAG: '10',
      REALMGATE_POLL_MS: '250',
      REALMGATE_LOG_RETENTION_SECONDS: '3600',
      REALMGATE_CHECK_AUTH: 'token',
      REALMGATE_MIN_FREE_BYTES: '0',
      REALMGATE_PGLITE_SHARED_BUFFERS_MB: '64',
    });
    expect(config).toMatchObject({
      realms: ['acme', 'partners'],
      maxWaitMs: 500,
      readyMaxLag: 10,
      pollMs: 250,
      logRetentionSeconds: 3600,
      minFreeBytes: 0,
      pgliteSharedBuffersMb: 64,
      socketPath: '/run/realmgate/rg.sock',
      port: 9000,
      host: '0.0.0.0',
      databaseUrl: 'postgresql://u@db:5432/rg',
      dataDir: '/var/lib/realmgate',
      adminToken: 'a-long-enough-token',
      defaultRealm: 'acme',
      checkAuth: 'token',
    });
    expect(Object.isFrozen(config)).toBe(true);
  });

  test.each([
    [{ PORT: 'http' }, /PORT must be an integer/],
    [{ PORT: '70000' }, /PORT must be an integer from 0 to 65535/],
    [{ DATABASE_URL: 'mysql://x' }, /DATABASE_URL must be a postgres/],
    [{ REALMGATE_ADMIN_TOKEN: 'short' }, /at least 16 characters/],
    [{ REALMGATE_DEFAULT_REALM: 'a/b' }, /REALMGATE_DEFAULT_REALM must match/],
    [{ REALMGATE_MAX_BODY_BYTES: '-1' }, /REALMGATE_MAX_BODY_BYTES/],
    [{ REALMGATE_SOCKET: `/tmp/${'s'.repeat(100)}` }, /REALMGATE_SOCKET must be a path of at most 100 bytes/],
    [{ REALMGATE_REALMS: 'acme,a/b' }, /REALMGATE_REALMS must be a comma-separated list of realm names/],
    [{ REALMGATE_MAX_WAIT_MS: '60001' }, /REALMGATE_MAX_WAIT_MS must be an integer from 0 to 60000/],
    [{ REALMGATE_POLL_MS: '5' }, /REALMGATE_POLL_MS must be an integer from 10/],
    [{ REALMGATE_LOG_RETENTION_SECONDS: '0' }, /REALMGATE_LOG_RETENTION_SECONDS must be an integer from 1/],
    [{ HOST: 'not a host' }, /HOST must be an IP address or a host name, got 'not a host'/],
    [{ HOST: 'http://0.0.0.0' }, /HOST must be an IP address or a host name/],
    [{ HOST: '0.0.0.0' }, /HOST 0.0.0.0 is not a loopback address and checks need no token: set REALMGATE_CHECK_AUTH=token/],
    [{ HOST: '::' }, /HOST :: is not a loopback address/],
    [{ HOST: 'rg.example.com' }, /HOST rg.example.com is not a loopback address/],
    [{ HOST: '0.0.0.0', REALMGATE_ALLOW_OPEN_CHECKS: 'yes' }, /REALMGATE_ALLOW_OPEN_CHECKS must be 'true' or 'false'/],
    [{ REALMGATE_CHECK_AUTH: 'jwt' }, /REALMGATE_CHECK_AUTH must be 'none' or 'token', got 'jwt'/],
    [{ REALMGATE_ALLOWED_HOSTS: 'ok.example,bad host' }, /REALMGATE_ALLOWED_HOSTS must be a comma-separated list of host names or IP addresses, got 'bad host'/],
    [{ REALMGATE_LOG_LEVEL: 'verbose' }, /REALMGATE_LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent/],
    [{ REALMGATE_PROBE_PORT: 'probe' }, /REALMGATE_PROBE_PORT must be an integer from 0 to 65535/],
    [{ PORT: '9000', REALMGATE_PROBE_PORT: '9000' }, /REALMGATE_PROBE_PORT must differ from PORT/],
    [{ REALMGATE_PROBE_HOST: 'a b' }, /REALMGATE_PROBE_HOST must be an IP address or host name/],
    [{ REALMGATE_SHUTDOWN_TIMEOUT_MS: '1h' }, /REALMGATE_SHUTDOWN_TIMEOUT_MS must be an integer from 0 to 600000/],
    [{ REALMGATE_HEADERS_TIMEOUT_MS: '50' }, /REALMGATE_HEADERS_TIMEOUT_MS must be an integer from 100/],
    [{ REALMGATE_REQUEST_TIMEOUT_MS: '0' }, /REALMGATE_REQUEST_TIMEOUT_MS must be an integer from 100/],
    [{ REALMGATE_HEADERS_TIMEOUT_MS: '5000', REALMGATE_REQUEST_TIMEOUT_MS: '1000' }, /must not exceed REALMGATE_REQUEST_TIMEOUT_MS/],
    [{ REALMGATE_KEEPALIVE_TIMEOUT_MS: '-5' }, /REALMGATE_KEEPALIVE_TIMEOUT_MS must be an integer from 0/],
    [{ REALMGATE_MIN_FREE_BYTES: '64MiB' }, /REALMGATE_MIN_FREE_BYTES must be an integer from 0/],
    [{ REALMGATE_WEBHOOK_TIMEOUT_MS: '15s' }, /REALMGATE_WEBHOOK_TIMEOUT_MS must be an integer from 100 to 300000/],
    [{ REALMGATE_WEBHOOK_TIMEOUT_MS: '50' }, /REALMGATE_WEBHOOK_TIMEOUT_MS must be an integer from 100/],
    [{ REALMGATE_WEBHOOK_RETRY_SCHEDULE: '0,5x' }, /REALMGATE_WEBHOOK_RETRY_SCHEDULE must be a comma-separated list of durations such as 0,5s,5m,2h, got '5x'/],
    [{ REALMGATE_WEBHOOK_RETRY_SCHEDULE: '0,,5s' }, /REALMGATE_WEBHOOK_RETRY_SCHEDULE must be a comma-separated list of durations/],
    [{ REALMGATE_WEBHOOK_RETRY_SCHEDULE: '-5s' }, /REALMGATE_WEBHOOK_RETRY_SCHEDULE must be a comma-separated list of durations/],
    [{ REALMGATE_WEBHOOK_RETRY_SCHEDULE: Array(51).fill('1s').join(',') }, /REALMGATE_WEBHOOK_RETRY_SCHEDULE must list at most 50 durations/],
    [{ REALMGATE_WEBHOOK_ALLOW_PRIVATE: 'yes' }, /REALMGATE_WEBHOOK_ALLOW_PRIVATE must be/],
    [{ REALMGATE_WEBHOOK_PIPELINE: '0' }, /REALMGATE_WEBHOOK_PIPELINE must be an integer from 1 to 64, got '0'/],
    [{ REALMGATE_WEBHOOK_PIPELINE: '65' }, /REALMGATE_WEBHOOK_PIPELINE must be an integer from 1 to 64/],
    [{ REALMGATE_WEBHOOK_KEY: 'too-short' }, /REALMGATE_WEBHOOK_KEY must be at least 16 characters/],
    [{ REALMGATE_STREAM_HEARTBEAT_MS: '5' }, /REALMGATE_STREAM_HEARTBEAT_MS must be an integer from 10 to 3600000/],
    [{ REALMGATE_STREAM_HEARTBEAT_MS: '1e3' }, /REALMGATE_STREAM_HEARTBEAT_MS must be an integer/],
    [{ REALMGATE_DECISION_LOG: 'on' }, /REALMGATE_DECISION_LOG must be/],
    [{ REALMGATE_CONSOLE: 'off' }, /REALMGATE_CONSOLE must be one of true, false, got 'off'/],
    [{ REALMGATE_DECISION_LOG_SAMPLE: '1.5' }, /REALMGATE_DECISION_LOG_SAMPLE must be a number from 0 to 1, got '1.5'/],
    [{ REALMGATE_DECISION_LOG_SAMPLE: '-0.1' }, /REALMGATE_DECISION_LOG_SAMPLE must be a number from 0 to 1/],
    [{ REALMGATE_DECISION_LOG_SAMPLE: 'half' }, /REALMGATE_DECISION_LOG_SAMPLE must be a number from 0 to 1/],
  ])('rejects %j with one clear line', (env, message) => {
    expect(() => readConfig(env)).toThrow(ConfigError);
    expect(() => readConfig(env)).toThrow(message);
  });
});

describe('admin token when none is configured', () => {
  test('is made once, kept in the data folder for its owner only, and reused', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'realmgate-token-'));
    const first = localAdminToken(dir);
    expect(first.created).toBe(true);
    expect(first.token.length).toBeGreaterThanOrEqual(32);
    expect(fs.statSync(first.file).mode & 0o777).toBe(0o600);
    const second = localAdminToken(dir);
    expect(second).toEqual({ ...first, created: false });
    fs.rmSync(dir, { recursive: true });
  });
});
