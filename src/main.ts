import fs from 'node:fs';
import path from 'node:path';
import type { Server } from 'node:http';
import { Registry } from 'prom-client';
import { createApp } from './app';
import { DecisionLog } from './http/decisionLog';
import { EventStreams } from './http/eventStreams';
import { ConfigError, readConfig, type Config } from './config';
import { boundPort, createHttpServer, listen } from './http/httpServer';
import { InFlight } from './http/inFlight';
import { startExtAuthzGrpc, type ExtAuthzGrpcServer } from './grpc/extAuthzServer';
import type { Lifecycle } from './http/lifecycle';
import { acceptedHostNames, isLoopbackHost } from './http/hostNames';
import { listenOnSocket } from './http/listenSocket';
import { Metrics } from './http/metrics';
import { createLogger, type Logger } from './logger';
import { createProbeApp } from './probeApp';
import { PROJECT_ROOT } from './projectRoot';
import { localAdminToken } from './runtime/adminToken';
import { type Runtime } from './runtime/startRuntime';
import { startRuntimeWithRetry } from './runtime/startWithRetry';

const message = (err: unknown) => (err instanceof Error ? err.message : String(err));

function configure(): Config {
  try {
    return readConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      createLogger('info').fatal(`bad configuration: ${err.message}`);
      process.exit(2);
    }
    throw err;
  }
}

function version(): string {
  try {
    return (JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

async function listenOrExit(logger: Logger, server: Server, port: number, host: string, what: string): Promise<void> {
  try {
    await listen(server, { port, host });
  } catch (err) {
    logger.fatal(`cannot listen on ${host}:${port}: ${message(err)}`);
    process.exit(1);
  }
  logger.info(`listening on http://${host}:${boundPort(server, port)} (${what})`);
}

async function main(): Promise<void> {
  const config = configure();
  const logger = createLogger(config.logLevel);
  let adminToken = config.adminToken;
  if (!adminToken) {
    const local = localAdminToken(config.dataDir);
    adminToken = local.token;
    logger.warn(
      `REALMGATE_ADMIN_TOKEN is not set; management routes take the token in ${local.file}` +
        ` (curl -H "Authorization: Bearer $(cat ${local.file})" ...)`,
    );
  }

  const lifecycle: Lifecycle = {};
  const metrics = new Metrics({
    registry: new Registry(),
    deps: () => lifecycle.deps,
    defaultMetrics: true,
    build: { version: version(), backend: config.databaseUrl ? 'postgres' : 'pglite' },
  });
  const streams = new EventStreams();
  const decisionLog = DecisionLog.open(config);
  if (!isLoopbackHost(config.host) && config.checkAuth === 'none') {
    logger.warn(`checks need no token and HOST ${config.host} is not loopback (REALMGATE_ALLOW_OPEN_CHECKS=true): anyone who reaches it can ask about any user's grants`);
  }
  const app = createApp({
    lifecycle,
    adminToken,
    maxBodyBytes: config.maxBodyBytes,
    metrics,
    logger,
    checkAuth: config.checkAuth,
    acceptedHosts: acceptedHostNames(config.host, config.allowedHosts) ?? 'any',
    extAuthz: config.extAuthz,
    streams,
    decisionLog,
    console: config.console,
  });
  const started = Date.now();
  const inFlight = new InFlight();
  const server = createHttpServer(app, config);
  inFlight.track(server);
  await listenOrExit(logger, server, config.port, config.host, 'api');

  if (config.socketPath) {
    try {
      inFlight.track(await listenOnSocket(app, config.socketPath, config));
      logger.info(`listening on unix:${config.socketPath}`);
    } catch (err) {
      logger.fatal(`cannot listen on ${config.socketPath}: ${message(err)}`);
      process.exit(1);
    }
  }

  let probeServer: Server | undefined;
  if (config.probePort !== undefined) {
    probeServer = createHttpServer(createProbeApp({ lifecycle, metrics, logger }), config);
    await listenOrExit(logger, probeServer, config.probePort, config.probeHost, 'probes and metrics');
  }

  let grpcServer: ExtAuthzGrpcServer | undefined;
  if (config.grpcPort !== undefined && config.extAuthz) {
    const { grpcHost: host, grpcPort: port, extAuthz: settings } = config;
    try {
      grpcServer = await startExtAuthzGrpc({ host, port, lifecycle, settings, metrics, onError: (err) => logger.error({ err }, 'ext_authz gRPC error') });
      logger.info(`ext_authz gRPC listening on ${host}:${grpcServer.port}`);
    } catch (err) {
      logger.fatal(`cannot listen on ${host}:${port} (gRPC): ${message(err)}`);
      process.exit(1);
    }
  }

  let runtime: Runtime | undefined;
  const stop = async (signal: string) => {
    if (lifecycle.shuttingDown) return;
    lifecycle.shuttingDown = true;
    const inFlightAtSignal = inFlight.size;
    // open event streams would keep their connections in flight until the deadline
    streams.closeAll();
    const drained = inFlight.drain(config.shutdownTimeoutMs);
    // said once the listeners have stopped taking connections, so the line means they have
    logger.info({ signal, inFlight: inFlightAtSignal }, `${signal}: shutting down`);
    const grpcClosed = grpcServer?.close();
    if (config.socketPath) fs.rmSync(config.socketPath, { force: true });
    if (!(await drained)) {
      logger.error(
        { cut: inFlight.size, requests: inFlight.describe() },
        `shutdown: ${inFlight.size} request(s) still running after REALMGATE_SHUTDOWN_TIMEOUT_MS=${config.shutdownTimeoutMs}; cutting them`,
      );
      decisionLog?.close();
      process.exit(1);
    }
    await grpcClosed;
    await runtime?.close();
    probeServer?.close();
    decisionLog?.close();
    logger.info('stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));

  try {
    runtime = await startRuntimeWithRetry(config, lifecycle, {
      logger,
      onWrite: (seconds, outcome) => metrics.observeWrite(seconds, outcome),
      onAttemptFailed: (attempt, reason, wait) => logger.warn({ attempt, retryInMs: wait }, `database unreachable (attempt ${attempt}): ${reason}; retrying in ${wait} ms`),
    });
  } catch (err) {
    logger.fatal(`cannot start: ${message(err)}`);
    process.exit(1);
  }
  runtime.applier.onApplied(() => {
    metrics.changesApplied += 1;
  });
  if (lifecycle.shuttingDown) return;
  lifecycle.deps = runtime.deps;
  const where = config.databaseUrl ? 'PostgreSQL' : `PGlite in ${config.dataDir}`;
  logger.info(`ready at revision ${runtime.deps.state.revision} (${where}) in ${Date.now() - started} ms`);
}

void main();
