import { NAME_PATTERN } from './engine/names';
import { isHostName, isLoopbackHost } from './http/hostNames';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
import { ExtAuthzSettingsError, loadExtAuthzSettings, type ExtAuthzSettings } from './extAuthz/settings';

export interface Config {
  readonly port: number;
  readonly host: string;
  /** PostgreSQL when set; otherwise embedded PGlite under dataDir */
  readonly databaseUrl?: string;
  readonly dataDir: string;
  /** when unset, main.ts makes one and keeps it in dataDir (management is never left open) */
  readonly adminToken?: string;
  readonly defaultRealm?: string;
  readonly maxBodyBytes: number;
  /** a Unix domain socket to serve on as well as host:port, for apps in the same pod */
  readonly socketPath?: string;
  /** the realms this sidecar holds in memory and answers for; undefined: all of them */
  readonly realms?: readonly string[];
  /** how long a check with `atLeast` may wait for local state to reach that revision */
  readonly maxWaitMs: number;
  /** /readyz is 503 while the sidecar is more than this many revisions behind the database */
  readonly readyMaxLag: number;
  /** how often the head revision is polled, in case a notification was lost */
  readonly pollMs: number;
  /** change-log entries older than this are compacted (the newest is always kept) */
  readonly logRetentionSeconds: number;
  /** `none`: checks need no token (loopback only, unless allowOpenChecks); `token`: a token with the check scope */
  readonly checkAuth: 'none' | 'token';
  /** lets checks go without a token on a non-loopback HOST; a warning is logged */
  readonly allowOpenChecks: boolean;
  /** Host header names accepted besides the loopback names; undefined: none on loopback, any elsewhere */
  readonly allowedHosts?: readonly string[];
  /** pino level: management requests are logged at info, checks and probes at debug */
  readonly logLevel: LogLevel;
  /** a second listener serving only GET /healthz, /readyz and /metrics, without a token */
  readonly probePort?: number;
  readonly probeHost: string;
  /** how long in-flight requests may run on after SIGTERM/SIGINT before they are cut (exit 1) */
  readonly shutdownTimeoutMs: number;
  /** time allowed for a request's headers, for the whole request, and for an idle keep-alive connection */
  readonly headersTimeoutMs: number;
  readonly requestTimeoutMs: number;
  readonly keepAliveTimeoutMs: number;
  /** Envoy/Istio external authorization routes, from the YAML file REALMGATE_EXT_AUTHZ_CONFIG names */
  readonly extAuthz?: ExtAuthzSettings;
  /** the port of the gRPC ext_authz service (envoy.service.auth.v3.Authorization); undefined: none */
  readonly grpcPort?: number;
  readonly grpcHost: string;
  /** PGlite: writes answer 503 while the data folder's file system has less than this free */
  readonly minFreeBytes: number;
  /** PGlite: PostgreSQL's shared_buffers, in MiB (its page cache, inside the process's memory) */
  readonly pgliteSharedBuffersMb: number;
  /** how long a webhook delivery may take before it counts as failed */
  readonly webhookTimeoutMs: number;
  /** the delay before each attempt of a delivery, in ms; its length is the number of attempts */
  readonly webhookRetrySchedule: readonly number[];
  /** whether webhook URLs may point at loopback, link-local or private addresses */
  readonly webhookAllowPrivate: boolean;
  /** requests a webhook may have on their way at once, pipelined on its connection (1: each after the previous one's answer) */
  readonly webhookPipeline: number;
  /** when set, webhook signing secrets are stored encrypted with a key derived from it */
  readonly webhookKey?: string;
  /** how often an idle event stream sends a heartbeat */
  readonly streamHeartbeatMs: number;
  /** which check decisions are written to the decision log */
  readonly decisionLog: 'off' | 'denied' | 'all';
  /** the share of allowed decisions logged when decisionLog is 'all' */
  readonly decisionLogSample: number;
  /** where the decision log goes; stdout when unset */
  readonly decisionLogFile?: string;
  /** PostgreSQL: connections in the query pool; one more, of its own, LISTENs for changes */
  readonly dbPoolSize: number;
  /** PostgreSQL: a pooled connection idle this long is closed (the LISTEN connection stays open) */
  readonly dbIdleTimeoutMs: number;
  /** PostgreSQL: how long opening a connection, or waiting for a free one in the pool, may take */
  readonly dbConnectTimeoutMs: number;
  /** serves the web console at /console */
  readonly console: boolean;
}

export class ConfigError extends Error {}

type Env = Record<string, string | undefined>;

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
    throw new ConfigError(`${name} must be an integer from ${min} to ${max}, got '${raw}'`);
  }
  return Number(raw);
}

function optional(env: Env, name: string): string | undefined {
  const raw = env[name];
  return raw === undefined || raw.trim() === '' ? undefined : raw.trim();
}

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** "0,5s,5m,30m,2h": durations in ms, s, m or h (a bare number is seconds). */
function durations(env: Env, name: string, fallback: number[]): number[] {
  const raw = optional(env, name);
  if (raw === undefined) return fallback;
  const list = raw.split(',').map((part) => {
    const m = /^(\d{1,9})(ms|s|m|h)?$/.exec(part.trim());
    if (!m) throw new ConfigError(`${name} must be a comma-separated list of durations such as 0,5s,5m,2h, got '${part.trim()}'`);
    return Number(m[1]) * UNIT_MS[m[2] ?? 's'];
  });
  if (list.length > 50) throw new ConfigError(`${name} must list at most 50 durations`);
  return list;
}

function oneOf<T extends string>(env: Env, name: string, values: readonly T[], fallback: T): T {
  const raw = optional(env, name);
  if (raw === undefined) return fallback;
  if (!(values as readonly string[]).includes(raw)) throw new ConfigError(`${name} must be one of ${values.join(', ')}, got '${raw}'`);
  return raw as T;
}

function fraction(env: Env, name: string, fallback: number): number {
  const raw = optional(env, name);
  if (raw === undefined) return fallback;
  if (!/^(0(\.\d+)?|1(\.0+)?|\.\d+)$/.test(raw)) throw new ConfigError(`${name} must be a number from 0 to 1, got '${raw}'`);
  return Number(raw);
}

/** The retry schedule of the Standard Webhooks specification. */
const STANDARD_RETRY_SCHEDULE = [0, 5_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000, 36_000_000];

/** Reads the environment once; the result is frozen. Throws ConfigError with a one-line reason. */
export function readConfig(env: Env = process.env): Config {
  const databaseUrl = optional(env, 'DATABASE_URL');
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new ConfigError('DATABASE_URL must be a postgres:// or postgresql:// URL');
  }
  const adminToken = optional(env, 'REALMGATE_ADMIN_TOKEN');
  if (adminToken !== undefined && (adminToken.length < 16 || /\s/.test(adminToken))) {
    throw new ConfigError('REALMGATE_ADMIN_TOKEN must be at least 16 characters, without spaces');
  }
  const defaultRealm = optional(env, 'REALMGATE_DEFAULT_REALM');
  if (defaultRealm !== undefined && !NAME_PATTERN.test(defaultRealm)) {
    throw new ConfigError(`REALMGATE_DEFAULT_REALM must match ${NAME_PATTERN.source}`);
  }
  const host = optional(env, 'HOST') ?? '127.0.0.1';
  if (!isHostName(host)) throw new ConfigError(`HOST must be an IP address or a host name, got '${host}'`);
  const checkAuth = optional(env, 'REALMGATE_CHECK_AUTH') ?? 'none';
  if (checkAuth !== 'none' && checkAuth !== 'token') {
    throw new ConfigError(`REALMGATE_CHECK_AUTH must be 'none' or 'token', got '${checkAuth}'`);
  }
  const allowOpenChecks = optional(env, 'REALMGATE_ALLOW_OPEN_CHECKS') ?? 'false';
  if (allowOpenChecks !== 'true' && allowOpenChecks !== 'false') {
    throw new ConfigError(`REALMGATE_ALLOW_OPEN_CHECKS must be 'true' or 'false', got '${allowOpenChecks}'`);
  }
  if (!isLoopbackHost(host) && checkAuth === 'none' && allowOpenChecks !== 'true') {
    throw new ConfigError(
      `HOST ${host} is not a loopback address and checks need no token: set REALMGATE_CHECK_AUTH=token, ` +
        'or REALMGATE_ALLOW_OPEN_CHECKS=true to answer checks from the network without one',
    );
  }
  const hostList = optional(env, 'REALMGATE_ALLOWED_HOSTS');
  const allowedHosts = hostList === undefined ? undefined : [...new Set(hostList.split(',').map((h) => h.trim().toLowerCase()))];
  for (const name of allowedHosts ?? []) {
    if (!isHostName(name)) throw new ConfigError(`REALMGATE_ALLOWED_HOSTS must be a comma-separated list of host names or IP addresses, got '${name}'`);
  }
  const realmList = optional(env, 'REALMGATE_REALMS');
  const realms = realmList === undefined || realmList === '*' ? undefined : [...new Set(realmList.split(',').map((r) => r.trim()))];
  for (const realm of realms ?? []) {
    if (!NAME_PATTERN.test(realm)) throw new ConfigError(`REALMGATE_REALMS must be a comma-separated list of realm names matching ${NAME_PATTERN.source}, got '${realm}'`);
  }
  const socketPath = optional(env, 'REALMGATE_SOCKET');
  // sun_path holds 108 bytes on Linux, 104 on macOS
  if (socketPath !== undefined && Buffer.byteLength(socketPath) > 100) {
    throw new ConfigError('REALMGATE_SOCKET must be a path of at most 100 bytes');
  }
  const logLevel = (optional(env, 'REALMGATE_LOG_LEVEL') ?? 'info') as LogLevel;
  if (!(LOG_LEVELS as readonly string[]).includes(logLevel)) throw new ConfigError(`REALMGATE_LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got '${logLevel}'`);
  const port = integer(env, 'PORT', 8181, 0, 65535);
  const probePort = optional(env, 'REALMGATE_PROBE_PORT') === undefined ? undefined : integer(env, 'REALMGATE_PROBE_PORT', 0, 0, 65535);
  if (probePort !== undefined && probePort !== 0 && probePort === port) {
    throw new ConfigError(`REALMGATE_PROBE_PORT must differ from PORT (${port})`);
  }
  const probeHost = optional(env, 'REALMGATE_PROBE_HOST') ?? '0.0.0.0';
  if (!/^[A-Za-z0-9.:\-[\]]{1,253}$/.test(probeHost)) throw new ConfigError(`REALMGATE_PROBE_HOST must be an IP address or host name, got '${probeHost}'`);
  const headersTimeoutMs = integer(env, 'REALMGATE_HEADERS_TIMEOUT_MS', 10_000, 100, 600_000);
  const requestTimeoutMs = integer(env, 'REALMGATE_REQUEST_TIMEOUT_MS', 30_000, 100, 3_600_000);
  if (headersTimeoutMs > requestTimeoutMs) {
    throw new ConfigError(`REALMGATE_HEADERS_TIMEOUT_MS (${headersTimeoutMs}) must not exceed REALMGATE_REQUEST_TIMEOUT_MS (${requestTimeoutMs})`);
  }
  const extAuthzFile = optional(env, 'REALMGATE_EXT_AUTHZ_CONFIG');
  let extAuthz: ExtAuthzSettings | undefined;
  try {
    extAuthz = extAuthzFile === undefined ? undefined : loadExtAuthzSettings(extAuthzFile, defaultRealm);
  } catch (err) {
    if (err instanceof ExtAuthzSettingsError) throw new ConfigError(`REALMGATE_EXT_AUTHZ_CONFIG: ${err.message}`);
    throw err;
  }
  const grpcPort = optional(env, 'REALMGATE_GRPC_PORT') === undefined ? undefined : integer(env, 'REALMGATE_GRPC_PORT', 0, 0, 65535);
  if (grpcPort !== undefined && extAuthz === undefined) {
    throw new ConfigError('REALMGATE_GRPC_PORT needs REALMGATE_EXT_AUTHZ_CONFIG: the gRPC service answers with its routes');
  }
  const webhookKey = optional(env, 'REALMGATE_WEBHOOK_KEY');
  if (webhookKey !== undefined && webhookKey.length < 16) throw new ConfigError('REALMGATE_WEBHOOK_KEY must be at least 16 characters');
  return Object.freeze({
    port,
    host,
    databaseUrl,
    dataDir: optional(env, 'REALMGATE_DATA_DIR') ?? './data',
    adminToken,
    defaultRealm,
    maxBodyBytes: integer(env, 'REALMGATE_MAX_BODY_BYTES', 10 * 1024 * 1024, 1024, 1024 * 1024 * 1024),
    socketPath,
    realms,
    maxWaitMs: integer(env, 'REALMGATE_MAX_WAIT_MS', 2000, 0, 60_000),
    readyMaxLag: integer(env, 'REALMGATE_READY_MAX_LAG', 100, 0, 1_000_000_000),
    pollMs: integer(env, 'REALMGATE_POLL_MS', 1000, 10, 3_600_000),
    logRetentionSeconds: integer(env, 'REALMGATE_LOG_RETENTION_SECONDS', 7 * 24 * 3600, 1, 10 * 365 * 24 * 3600),
    checkAuth,
    allowOpenChecks: allowOpenChecks === 'true',
    allowedHosts,
    logLevel,
    probePort,
    probeHost,
    shutdownTimeoutMs: integer(env, 'REALMGATE_SHUTDOWN_TIMEOUT_MS', 10_000, 0, 600_000),
    headersTimeoutMs,
    requestTimeoutMs,
    keepAliveTimeoutMs: integer(env, 'REALMGATE_KEEPALIVE_TIMEOUT_MS', 5_000, 0, 600_000),
    extAuthz,
    grpcPort,
    grpcHost: optional(env, 'REALMGATE_GRPC_HOST') ?? '127.0.0.1',
    minFreeBytes: integer(env, 'REALMGATE_MIN_FREE_BYTES', 64 * 1024 * 1024, 0, 2 ** 50),
    pgliteSharedBuffersMb: integer(env, 'REALMGATE_PGLITE_SHARED_BUFFERS_MB', 16, 1, 16_384),
    webhookTimeoutMs: integer(env, 'REALMGATE_WEBHOOK_TIMEOUT_MS', 15_000, 100, 300_000),
    webhookRetrySchedule: Object.freeze(durations(env, 'REALMGATE_WEBHOOK_RETRY_SCHEDULE', STANDARD_RETRY_SCHEDULE)),
    webhookAllowPrivate: oneOf(env, 'REALMGATE_WEBHOOK_ALLOW_PRIVATE', ['true', 'false'], 'false') === 'true',
    webhookPipeline: integer(env, 'REALMGATE_WEBHOOK_PIPELINE', 16, 1, 64),
    webhookKey,
    streamHeartbeatMs: integer(env, 'REALMGATE_STREAM_HEARTBEAT_MS', 15_000, 10, 3_600_000),
    decisionLog: oneOf(env, 'REALMGATE_DECISION_LOG', ['off', 'denied', 'all'] as const, 'off'),
    decisionLogSample: fraction(env, 'REALMGATE_DECISION_LOG_SAMPLE', 1),
    decisionLogFile: optional(env, 'REALMGATE_DECISION_LOG_FILE'),
    dbPoolSize: integer(env, 'REALMGATE_DB_POOL_SIZE', 2, 1, 100),
    dbIdleTimeoutMs: integer(env, 'REALMGATE_DB_IDLE_TIMEOUT_MS', 10_000, 0, 3_600_000),
    dbConnectTimeoutMs: integer(env, 'REALMGATE_DB_CONNECT_TIMEOUT_MS', 30_000, 100, 600_000),
    console: oneOf(env, 'REALMGATE_CONSOLE', ['true', 'false'], 'true') === 'true',
  });
}
