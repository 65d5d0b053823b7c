import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import fc from 'fast-check';
import { Agent, request } from 'undici';
import { stateDigest } from '../../src/services/stateDigest';
import { startHarness, TEST_TOKEN, type Harness } from '../support/harness';
import { readContract, type Contract, type Operation } from './contract';
import { requestArbitrary, type FuzzRequest, type Scope, type World } from './requests';

/** The 503 codes openapi.yaml documents; any other 5xx is a defect. */
export const DOCUMENTED_503 = new Set(['not_ready', 'stale', 'write_unavailable', 'database_unavailable']);
const MAX_BODY_BYTES = 64 * 1024;

export interface FuzzOptions {
  requests: number;
  seed: number;
}

export interface FuzzReport {
  seed: number;
  sent: number;
  valid: number;
  mutated: number;
  ms: number;
  operations: number;
  byOperation: Record<string, { valid: number; mutated: number; statuses: Record<number, number> }>;
  byMutation: Record<string, number>;
  statuses: Record<number, number>;
  /** refused or read-only writes whose state was compared before and after */
  comparedWrites: number;
  /** webhook deliveries attempted during the run (must stay 0: nothing leaves the machine) */
  deliveryAttempts: number;
}

interface Reply {
  status: number;
  contentType: string;
  text: string;
}

/** Talks to the app over a loopback socket, with full control of method, headers and raw body. */
class Client {
  private readonly agent = new Agent({ connections: 4 });
  constructor(readonly origin: string) {}

  async send(method: string, target: string, headers: Record<string, string>, body?: string): Promise<Reply> {
    const res = await request(this.origin + target, { method, headers, body, dispatcher: this.agent });
    const contentType = String(res.headers['content-type'] ?? '');
    if (contentType.includes('text/event-stream')) {
      // a live stream never ends on its own: close it at once
      res.body.destroy();
      return { status: res.statusCode, contentType, text: '' };
    }
    return { status: res.statusCode, contentType, text: await res.body.text() };
  }

  async admin(method: string, target: string, body?: unknown): Promise<Reply> {
    const headers: Record<string, string> = { authorization: `Bearer ${TEST_TOKEN}` };
    if (body !== undefined) headers['content-type'] = 'application/json';
    return this.send(method, target, headers, body === undefined ? undefined : JSON.stringify(body));
  }

  async json(method: string, target: string, body?: unknown): Promise<any> {
    const reply = await this.admin(method, target, body);
    if (reply.status >= 300) throw new Error(`${method} ${target}: ${reply.status} ${reply.text}`);
    return JSON.parse(reply.text);
  }

  close(): Promise<void> {
    return this.agent.close();
  }
}

/** Records, realm tokens and webhooks for valid requests to meet. */
async function seedWorld(client: Client): Promise<World> {
  const realms = ['acme', 'r2'];
  const users = ['u1', 'u2', 'alice'];
  const orgs = ['o1', 'o2', 'eng'];
  const roles = ['admin', 'viewer'];
  const tags = ['orders:rw', 'orders:*', 'reports.read', 'widget:12345', 'realm.admin'];
  const realmTokens: World['realmTokens'] = {};
  const tokenIds: string[] = [];
  const webhookIds: string[] = [];
  for (const realm of realms) {
    await client.json('PUT', `/v1/realms/${realm}`);
    await client.json('PUT', `/v1/realms/${realm}/roles/admin`, { permissions: ['orders:*', 'reports.read'] });
    await client.json('PUT', `/v1/realms/${realm}/roles/viewer`, { permissions: ['reports.read'] });
    await client.json('PUT', `/v1/realms/${realm}/users/alice/memberships/eng`, { roles: ['admin'], permissions: ['widget:12345'] });
    await client.json('PUT', `/v1/realms/${realm}/users/u1/membership`, { roles: ['viewer'] });
    const byScope = {} as Record<Scope, string>;
    for (const scope of ['check', 'read', 'write', 'admin'] as Scope[]) {
      byScope[scope] = (await client.json('POST', `/v1/realms/${realm}/tokens`, { name: `fuzz ${scope}`, scopes: [scope] })).token;
    }
    realmTokens[realm] = byScope;
    // tokens the run may revoke
    for (const name of ['spare one', 'spare two']) tokenIds.push((await client.json('POST', `/v1/realms/${realm}/tokens`, { name, scopes: ['read'] })).id);
    webhookIds.push((await client.json('POST', `/v1/realms/${realm}/webhooks`, { url: 'https://192.0.2.10/hook', events: ['*'] })).id);
  }
  const revoked = await client.json('POST', '/v1/realms/acme/tokens', { name: 'revoked', scopes: ['admin'] });
  await client.json('DELETE', `/v1/realms/acme/tokens/${revoked.id}`);
  return { realms, users, orgs, roles, tags, tokenIds, webhookIds, adminToken: TEST_TOKEN, realmTokens, revokedToken: revoked.token, maxBodyBytes: MAX_BODY_BYTES };
}

/** What a reply must be, whatever the request: the contract's error shape, and no undocumented 5xx. */
export function replyViolations(req: FuzzRequest, reply: Reply, contract: Contract): string[] {
  const problems: string[] = [];
  let body: any;
  if (reply.status >= 400) {
    if (!reply.contentType.includes('application/json')) problems.push(`a ${reply.status} answer is ${reply.contentType || 'without a content type'}, not JSON`);
    else if (req.method !== 'HEAD') {
      try {
        body = JSON.parse(reply.text);
      } catch {
        problems.push(`a ${reply.status} answer is not valid JSON: ${reply.text.slice(0, 200)}`);
      }
    }
  }
  const extAuthzDecision = req.path.startsWith('/ext-authz/') && (reply.status === 401 || reply.status === 403);
  if (body !== undefined && extAuthzDecision) {
    if (body.allowed !== false || typeof body.reason !== 'string') problems.push(`an ext_authz denial is not a decision: ${reply.text.slice(0, 200)}`);
  } else if (body !== undefined) {
    const e = body?.error;
    if (!e || typeof e !== 'object') problems.push(`a ${reply.status} answer is not {error: {...}}: ${reply.text.slice(0, 200)}`);
    else {
      if (!contract.errorCodes.has(e.code)) problems.push(`error code ${JSON.stringify(e.code)} is not in openapi.yaml's Error enum`);
      if (typeof e.message !== 'string' || e.message === '') problems.push('error message is missing');
      if (e.field !== undefined && typeof e.field !== 'string') problems.push('error field is not a string');
      if (/\n\s+at /.test(e.message ?? '')) problems.push('error message holds a stack trace');
    }
  }
  if (reply.status >= 500 && !(reply.status === 503 && DOCUMENTED_503.has(body?.error?.code))) {
    problems.push(`answered ${reply.status} ${body?.error?.code ?? ''}`);
  }
  return problems;
}

const READ_ONLY = new Set(['GET', 'HEAD', 'OPTIONS']);
const isDecision = (req: FuzzRequest) => req.path.startsWith('/v1/check') || req.path.startsWith('/ext-authz/');

function describe(req: FuzzRequest): string {
  const body = req.body === undefined ? '' : ` body ${req.body.length > 300 ? `${req.body.slice(0, 300)}… (${req.body.length} bytes)` : req.body}`;
  return `${req.method} ${req.path} [${req.op}, ${req.kind}${req.mutation ? `: ${req.mutation}` : ''}] headers ${JSON.stringify(req.headers).slice(0, 300)}${body}`;
}

/**
 * Sends `requests` generated requests, valid and mutated, over every operation of openapi.yaml to
 * an in-process app on PGlite, and checks every reply; throws (through fast-check, with the seed
 * and the request) at the first reply that breaks a rule.
 */
export async function runFuzz(options: FuzzOptions): Promise<FuzzReport> {
  const contract = readContract();
  const harness: Harness = await startHarness({
    maxBodyBytes: MAX_BODY_BYTES,
    env: {
      REALMGATE_MAX_WAIT_MS: '20',
      REALMGATE_WEBHOOK_ALLOW_PRIVATE: 'false',
      REALMGATE_EXT_AUTHZ_CONFIG: path.join(__dirname, '..', '..', 'deploy', 'envoy', 'ext-authz.yaml'),
    },
  });
  // deliveries are never sent: the dispatcher is stopped before the first webhook exists
  await harness.runtime.webhooks.stop();
  const server = http.createServer(harness.app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const client = new Client(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  const report: FuzzReport = {
    seed: options.seed,
    sent: 0,
    valid: 0,
    mutated: 0,
    ms: 0,
    operations: contract.operations.length,
    byOperation: Object.fromEntries(contract.operations.map((op) => [op.id, { valid: 0, mutated: 0, statuses: {} }])),
    byMutation: {},
    statuses: {},
    comparedWrites: 0,
    deliveryAttempts: 0,
  };
  const started = Date.now();
  try {
    const world = await seedWorld(client);
    const operationFor = new Map<string, Operation>(contract.operations.map((op) => [op.id, op]));
    let stateBefore: string | undefined;
    // what GET /v1/state answers, taken in process: one request fewer per compared write
    const state = async () => {
      const s = stateDigest(harness.runtime.deps.state);
      return `revision ${s.revision} digest ${s.digest} memberships ${s.memberships} realms ${s.realms.join(',')}`;
    };
    /** what a refused write to this route must leave as it was, besides the state digest */
    const listings = async (req: FuzzRequest) => {
      const template = operationFor.get(req.op)!.template;
      const kind = template.includes('/tokens') ? 'tokens' : template.includes('/webhooks') ? 'webhooks' : undefined;
      if (!kind || !req.realm) return '';
      const reply = await client.admin('GET', `/v1/realms/${req.realm}/${kind}`);
      return `${kind} ${reply.status} ${reply.text}`;
    };
    const property = fc.asyncProperty(requestArbitrary(contract.operations, world), async (req) => {
      const readOnly = READ_ONLY.has(req.method);
      stateBefore ??= await state();
      const listingBefore = readOnly ? '' : await listings(req);
      const t0 = Date.now();
      const reply = await client.send(req.method, req.path, req.headers, req.body);
      if (process.env.FUZZ_DEBUG) process.stderr.write(`${Date.now() - t0}ms ${reply.status} ${describe(req).slice(0, 200)}\n`);
      tally(report, req, reply.status);
      const problems = replyViolations(req, reply, contract);
      if (!readOnly) {
        const mayHaveWritten = reply.status < 300 && !req.dryRun && !isDecision(req);
        if (mayHaveWritten) stateBefore = undefined;
        else {
          report.comparedWrites++;
          const [stateAfter, listingAfter] = [await state(), await listings(req)];
          if (stateAfter !== stateBefore) problems.push(`a refused write changed the state: before ${stateBefore}, after ${stateAfter}`);
          if (listingAfter !== listingBefore) problems.push(`a refused write changed the listing: before ${listingBefore.slice(0, 300)}, after ${listingAfter.slice(0, 300)}`);
        }
      }
      if (problems.length > 0) {
        throw new Error(`seed ${options.seed}: ${describe(req)}\n  -> ${reply.status} ${reply.text.slice(0, 300)}\n  ${problems.join('\n  ')}`);
      }
    });
    await fc.assert(property, { seed: options.seed, numRuns: options.requests, endOnFailure: true });
    for (const realm of world.realms) {
      for (const id of world.webhookIds) {
        const reply = await client.admin('GET', `/v1/realms/${realm}/webhooks/${id}/deliveries`);
        if (reply.status === 200) report.deliveryAttempts += (JSON.parse(reply.text).deliveries as { attempts: number }[]).reduce((n, d) => n + d.attempts, 0);
      }
    }
  } finally {
    report.ms = Date.now() - started;
    await client.close();
    await new Promise((resolve) => server.close(resolve));
    await harness.close();
  }
  return report;
}

function tally(report: FuzzReport, req: FuzzRequest, status: number): void {
  report.sent++;
  report[req.kind]++;
  const op = report.byOperation[req.op];
  op[req.kind]++;
  op.statuses[status] = (op.statuses[status] ?? 0) + 1;
  report.statuses[status] = (report.statuses[status] ?? 0) + 1;
  if (req.mutation) report.byMutation[req.mutation] = (report.byMutation[req.mutation] ?? 0) + 1;
}

/** One line: counts, seed, time and the status distribution. */
export function summary(report: FuzzReport): string {
  const statuses = Object.entries(report.statuses)
    .map(([s, n]) => `${s}:${n}`)
    .join(' ');
  return `fuzz: ${report.sent} requests (${report.valid} valid, ${report.mutated} mutated) over ${report.operations} operations, seed ${report.seed}, ${(report.ms / 1000).toFixed(1)} s; ${report.comparedWrites} refused writes left state unchanged; statuses ${statuses}`;
}
