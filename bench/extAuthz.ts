import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import type { CheckQuery } from '../src/engine/decide';
import { authorizationService } from '../src/grpc/extAuthzProto';
import { removeDir, scratchDir, type Backend } from './databases';
import { GrpcWire } from './grpcWire';
import { freePort, startRealmgate } from './http';
import { checkBody } from './queries';
import { summarize, type Summary } from './stats';

/**
 * What ext_authz costs over a plain POST /v1/check: the same decisions asked three ways of one
 * realmgate process, one request at a time on one keep-alive connection each, in interleaved
 * rounds, timed at the client. Latencies in microseconds.
 */
export interface ExtAuthzResult {
  size: number;
  grants: number;
  routes: number;
  requestsPerMode: number;
  rounds: number;
  allowedShare: number;
  check: Summary;
  http: Summary;
  grpc: Summary;
  /** median over the median of /v1/check */
  httpRatio: number;
  grpcRatio: number;
}

export interface ExtAuthzWorkload {
  size: number;
  grants: number;
  backend: Backend;
  defaultRealm: string;
  /** the workload's query mix; each is asked with one of the routes' permissions */
  queries: CheckQuery[];
}

/** Routes per kind (org from the path, realm-level): a routes file of a realistic length. */
const ROUTES_PER_KIND = 20;

interface Asked {
  query: CheckQuery;
  route: number;
}

/** The routes file: route i requires the i-th distinct tag the workload grants; the realm comes from a header. */
function routesFile(dir: string, permissions: string[]): string {
  const lines = ['subjectHeader: x-bench-subject', 'realm: { header: x-bench-realm }', 'routes:'];
  permissions.forEach((permission, i) => {
    lines.push(`  - { method: GET, path: /api/r${i}/orgs/:org/items, permission: "${permission}", org: { param: org } }`);
    lines.push(`  - { method: GET, path: /api/r${i}/items, permission: "${permission}" }`);
  });
  const file = path.join(dir, 'ext-authz.yaml');
  fs.writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

function timed(run: () => Promise<boolean>): Promise<{ ns: number; allowed: boolean }> {
  const start = process.hrtime.bigint();
  return run().then((allowed) => ({ ns: Number(process.hrtime.bigint() - start), allowed }));
}

function httpAsk(agent: http.Agent, port: number, method: string, urlPath: string, headers: http.OutgoingHttpHeaders, body?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = http.request({ agent, host: '127.0.0.1', port, method, path: urlPath, headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => (res.statusCode === 200 || res.statusCode === 403 ? resolve(text) : reject(new Error(`${urlPath}: ${res.statusCode} ${text}`))));
    });
    req.once('error', reject);
    req.end(body);
  });
}

export async function measureExtAuthz(w: ExtAuthzWorkload, requestsPerMode: number, logDir: string, log: (s: string) => void): Promise<ExtAuthzResult> {
  const granted = [...new Set(w.queries.map((q) => q.permission).filter((p) => /^[a-z0-9:;._-]+$/.test(p)))].slice(0, ROUTES_PER_KIND);
  // a query whose own tag has a route keeps it (so about the workload's share is allowed); others take one in turn
  const asked: Asked[] = w.queries.map((query, i) => {
    const own = granted.indexOf(query.permission);
    const route = own >= 0 ? own : i % granted.length;
    return { query: { ...query, permission: granted[route] }, route };
  });
  const dir = scratchDir('ext-authz');
  const grpcPort = await freePort();
  const server = await startRealmgate(w.backend, w.defaultRealm, path.join(logDir, `server-ext-authz-${w.size}.log`), undefined, {
    REALMGATE_EXT_AUTHZ_CONFIG: routesFile(dir, granted),
    REALMGATE_GRPC_PORT: String(grpcPort),
  });
  const port = 'port' in server.target ? server.target.port : NaN;
  const agents = [new http.Agent({ keepAlive: true, maxSockets: 1 }), new http.Agent({ keepAlive: true, maxSockets: 1 })];
  const grpc = GrpcWire.forCheck(grpcPort, authorizationService());
  // encoded ahead, as Envoy's native client spends next to nothing encoding
  const framed = asked.map(({ query, route }) => {
    const urlPath = query.org === null ? `/api/r${route}/items` : `/api/r${route}/orgs/${encodeURIComponent(query.org)}/items`;
    const headers = { 'x-bench-subject': query.subject, 'x-bench-realm': query.realm };
    return grpc.frame({ attributes: { request: { http: { method: 'GET', path: urlPath, headers } } } });
  });

  const modes: Record<'check' | 'http' | 'grpc', (i: number) => Promise<boolean>> = {
    check: async (i) => {
      const { query } = asked[i];
      const text = await httpAsk(agents[0], port, 'POST', '/v1/check', { 'content-type': 'application/json' }, JSON.stringify(checkBody(query)));
      return (JSON.parse(text) as { allowed: boolean }).allowed;
    },
    http: async (i) => {
      const { query, route } = asked[i];
      const urlPath = query.org === null ? `/ext-authz/api/r${route}/items` : `/ext-authz/api/r${route}/orgs/${encodeURIComponent(query.org)}/items`;
      const text = await httpAsk(agents[1], port, 'GET', urlPath, { 'x-bench-subject': query.subject, 'x-bench-realm': query.realm, 'content-length': '0' });
      return (JSON.parse(text) as { allowed: boolean }).allowed;
    },
    grpc: async (i) => {
      const response = (await grpc.call(framed[i])) as { status: { code: number } };
      return response.status.code === 0;
    },
  };
  const names = Object.keys(modes) as (keyof typeof modes)[];
  const rounds = 10;
  const perRound = Math.ceil(requestsPerMode / rounds);
  const samples: Record<string, number[]> = { check: [], http: [], grpc: [] };
  const allowed: Record<string, number> = { check: 0, http: 0, grpc: 0 };
  try {
    // a warm-up round of each, not counted
    for (const name of names) for (let i = 0; i < Math.min(2000, perRound); i += 1) await modes[name](i % asked.length);
    for (let round = 0; round < rounds; round += 1) {
      // the order rotates, so no mode always runs first after another
      for (let k = 0; k < names.length; k += 1) {
        const name = names[(round + k) % names.length];
        for (let i = 0; i < perRound; i += 1) {
          const { ns, allowed: yes } = await timed(() => modes[name]((round * perRound + i) % asked.length));
          samples[name].push(ns / 1000);
          if (yes) allowed[name] += 1;
        }
      }
    }
  } finally {
    grpc.close();
    for (const agent of agents) agent.destroy();
    await server.stop();
    removeDir(dir);
  }
  if (allowed.check !== allowed.http || allowed.check !== allowed.grpc) {
    throw new Error(`the three ways disagree: allowed ${allowed.check} (check), ${allowed.http} (HTTP), ${allowed.grpc} (gRPC)`);
  }
  const check = summarize(samples.check);
  const viaHttp = summarize(samples.http);
  const viaGrpc = summarize(samples.grpc);
  log(`  ext_authz median: check ${check.median.toFixed(0)} µs, HTTP ${viaHttp.median.toFixed(0)} µs, gRPC ${viaGrpc.median.toFixed(0)} µs`);
  return {
    size: w.size,
    grants: w.grants,
    routes: granted.length * 2,
    requestsPerMode: perRound * rounds,
    rounds,
    allowedShare: allowed.check / (perRound * rounds),
    check,
    http: viaHttp,
    grpc: viaGrpc,
    httpRatio: viaHttp.median / check.median,
    grpcRatio: viaGrpc.median / check.median,
  };
}
