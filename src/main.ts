import fs from 'node:fs';
import type { Server } from 'node:http';
import { createApp } from './app';
import { DecisionLog } from './http/decisionLog';
import { EventStreams } from './http/eventStreams';
import { ConfigError, readConfig, type Config } from './config';
import type { Lifecycle } from './http/lifecycle';
import { listenOnSocket } from './http/listenSocket';
import { Metrics } from './http/metrics';
import { localAdminToken } from './runtime/adminToken';
import { startRuntime, type Runtime } from './runtime/startRuntime';

function log(message: string): void {
  console.log(`realmgate: ${message}`);
}

function configure(): Config {
  try {
    return readConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(`realmgate: bad configuration: ${err.message}`);
      process.exit(2);
    }
    throw err;
  }
}

async function main(): Promise<void> {
  const config = configure();
  let adminToken = config.adminToken;
  if (!adminToken) {
    const local = localAdminToken(config.dataDir);
    adminToken = local.token;
    log(
      `REALMGATE_ADMIN_TOKEN is not set; management routes take the token in ${local.file}` +
        ` (curl -H "Authorization: Bearer $(cat ${local.file})" ...)`,
    );
  }

  const lifecycle: Lifecycle = {};
  const metrics = new Metrics();
  const streams = new EventStreams();
  const decisionLog = DecisionLog.open(config);
  const app = createApp({ lifecycle, adminToken, maxBodyBytes: config.maxBodyBytes, metrics, streams, decisionLog });
  const started = Date.now();
  const server: Server = app.listen(config.port, config.host);
  server.once('listening', () => {
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : config.port;
    log(`listening on http://${config.host}:${port}`);
  });
  server.once('error', (err) => {
    console.error(`realmgate: cannot listen on ${config.host}:${config.port}: ${err.message}`);
    process.exit(1);
  });

  let socketServer: Server | undefined;
  if (config.socketPath) {
    try {
      socketServer = await listenOnSocket(app, config.socketPath);
      log(`listening on unix:${config.socketPath}`);
    } catch (err) {
      console.error(`realmgate: cannot listen on ${config.socketPath}: ${err instanceof Error ? err.message : String(err)}`);
      process.exit(1);
    }
  }

  let runtime: Runtime | undefined;
  const stop = async (signal: string) => {
    log(`${signal}: shutting down`);
    // open event streams would keep the server from closing
    streams.closeAll();
    server.close();
    if (socketServer && config.socketPath) {
      socketServer.close();
      fs.rmSync(config.socketPath, { force: true });
    }
    await runtime?.close();
    decisionLog?.close();
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));

  try {
    runtime = await startRuntime(config);
  } catch (err) {
    console.error(`realmgate: cannot start: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  }
  runtime.applier.onApplied(() => {
    metrics.changesApplied += 1;
  });
  lifecycle.deps = runtime.deps;
  const where = config.databaseUrl ? 'PostgreSQL' : `PGlite in ${config.dataDir}`;
  log(`ready at revision ${runtime.deps.state.revision} (${where}) in ${Date.now() - started} ms`);
}

void main();
