import { Server, ServerCredentials, status, type sendUnaryData, type ServerUnaryCall } from '@grpc/grpc-js';
import type { ExtAuthzSettings } from '../extAuthz/settings';
import type { Lifecycle } from '../http/lifecycle';
import type { Metrics } from '../http/metrics';
import { requestAuthorizer, type ProxiedRequest, type Verdict } from '../services/authorizeRequest';
import {
  authorizationService,
  type CheckRequestMessage,
  type CheckResponseMessage,
  type HeaderValueOption,
} from './extAuthzProto';

export interface ExtAuthzGrpcOptions {
  host: string;
  /** 0 picks a free port */
  port: number;
  lifecycle: Lifecycle;
  settings: ExtAuthzSettings;
  metrics?: Metrics;
  onError?: (err: unknown) => void;
}

export interface ExtAuthzGrpcServer {
  /** the port it listens on */
  readonly port: number;
  /** stops taking calls, lets calls in progress finish (a second at most), then closes */
  close(): Promise<void>;
}

const GRPC_PERMISSION_DENIED = 7;
const GRPC_UNAUTHENTICATED = 16;

const overwrite = (key: string, value: string): HeaderValueOption => ({ header: { key, value }, append_action: 'OVERWRITE_IF_EXISTS_OR_ADD' });

/** Header lookup over either form Envoy sends: the `headers` map, or `header_map` with encode_raw_headers. */
function headerOf(http: NonNullable<NonNullable<CheckRequestMessage['attributes']>['request']>['http']): (name: string) => string | undefined {
  const map = http?.headers;
  if (map) for (const _ in map) return (name) => map[name];
  const raw = new Map<string, string>();
  for (const { key, value, raw_value } of http?.header_map?.headers ?? []) {
    if (!key) continue;
    const text = value ?? raw_value?.toString('utf8') ?? '';
    const name = key.toLowerCase();
    raw.set(name, raw.has(name) ? `${raw.get(name)}, ${text}` : text);
  }
  return (name) => raw.get(name);
}

export function toCheckResponse(verdict: Verdict): CheckResponseMessage {
  if (verdict.allowed) {
    return {
      status: { code: 0, message: '' },
      ok_response: {
        headers: Object.entries(verdict.headers).map(([key, value]) => overwrite(key, value)),
        // a client cannot pass any of these on to the upstream itself
        headers_to_remove: [...verdict.remove],
      },
    };
  }
  return {
    status: { code: verdict.status === 401 ? GRPC_UNAUTHENTICATED : GRPC_PERMISSION_DENIED, message: verdict.reason },
    denied_response: {
      status: { code: verdict.status },
      headers: [overwrite('content-type', 'application/json')],
      body: JSON.stringify({ allowed: false, reason: verdict.reason, revision: verdict.revision }),
    },
  };
}

/**
 * envoy.service.auth.v3.Authorization/Check, for Envoy's ext_authz filter with a grpc_service: the
 * same routes and decisions as the HTTP ext_authz route. A denial is an OK call whose
 * CheckResponse has status PERMISSION_DENIED (UNAUTHENTICATED without a subject) and a
 * denied_response; while the policy loads, calls fail with UNAVAILABLE.
 */
export async function startExtAuthzGrpc(options: ExtAuthzGrpcOptions): Promise<ExtAuthzGrpcServer> {
  const authorize = requestAuthorizer(options.settings);
  const onError = options.onError ?? (() => undefined);
  // channelz keeps per-call counters and call traces that nothing here reads
  const server = new Server({ 'grpc.enable_channelz': 0 });
  server.addService(authorizationService().service, {
    Check: (call: ServerUnaryCall<CheckRequestMessage, CheckResponseMessage>, callback: sendUnaryData<CheckResponseMessage>) => {
      const deps = options.lifecycle.deps;
      if (!deps) {
        callback({ code: status.UNAVAILABLE, details: 'the policy is still loading; retry shortly' });
        return;
      }
      const http = call.request.attributes?.request?.http;
      if (!http?.method || !http.path) {
        callback({ code: status.INVALID_ARGUMENT, details: 'attributes.request.http.method and .path are required' });
        return;
      }
      try {
        const query = http.path.indexOf('?');
        const request: ProxiedRequest = { method: http.method, path: query < 0 ? http.path : http.path.slice(0, query), header: headerOf(http) };
        const verdict = authorize(deps, request);
        options.metrics?.countDecision(verdict.allowed ? 'granted' : verdict.reason);
        callback(null, toCheckResponse(verdict));
      } catch (err) {
        onError(err);
        callback({ code: status.INTERNAL, details: 'internal error' });
      }
    },
  });
  const port = await new Promise<number>((resolve, reject) => {
    server.bindAsync(`${options.host}:${options.port}`, ServerCredentials.createInsecure(), (err, bound) => (err ? reject(err) : resolve(bound)));
  });
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        const force = setTimeout(() => server.forceShutdown(), 1000);
        server.tryShutdown(() => {
          clearTimeout(force);
          resolve();
        });
      }),
  };
}
