import fs from 'node:fs';
import http from 'node:http';
import { credentials, type Client, type ServiceError } from '@grpc/grpc-js';
import Ajv from 'ajv';
import yaml from 'js-yaml';
import { authorizationService, type CheckResponseMessage } from '../../src/grpc/extAuthzProto';
import { OPENAPI_PATH } from '../../src/http/contractBodyValidator';

/** The body schema openapi.yaml gives every /ext-authz/{path} answer. */
const decisionConforms = (() => {
  const ajv = new Ajv({ strict: false });
  ajv.addSchema(yaml.load(fs.readFileSync(OPENAPI_PATH, 'utf8')) as object, 'openapi.json');
  return ajv.compile({ $ref: 'openapi.json#/components/schemas/ExtAuthzDecision' });
})();

/** The request Envoy holds and asks about. */
export interface HeldRequest {
  method: string;
  /** path and query string, as on the request line */
  path: string;
  headers?: Record<string, string>;
}

/** What either mode answered, in the same terms. */
export interface Answer {
  allowed: boolean;
  /** HTTP status Envoy answers the client with on a denial (200 when allowed) */
  status: number;
  reason: string;
  revision: number;
  /** headers to set on the forwarded request */
  upstream: Record<string, string>;
  /** headers to strip from the forwarded request */
  remove: string[];
}

export interface EnvoyCaller {
  ask(request: HeldRequest): Promise<Answer>;
  close(): void;
}

/**
 * Envoy's HTTP ext_authz service: the original method, `/ext-authz` + the original path, the
 * original Host, Content-Length 0 and the allowed headers, on a keep-alive connection.
 */
export function httpCaller(baseUrl: string, host = 'shop.example.com'): EnvoyCaller & { raw(request: HeldRequest): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> } {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const url = new URL(baseUrl);
  const raw = (request: HeldRequest) =>
    new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }>((resolve, reject) => {
      const req = http.request(
        {
          agent,
          host: url.hostname,
          port: url.port,
          method: request.method,
          path: `/ext-authz${request.path}`,
          headers: { host, 'content-length': '0', ...request.headers },
        },
        (res) => {
          let body = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => (body += chunk));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
        },
      );
      req.once('error', reject);
      req.end();
    });
  return {
    raw,
    async ask(request) {
      const res = await raw(request);
      expect([200, 401, 403]).toContain(res.status);
      // a HEAD answer has its headers and no body
      const body = (
        res.body === ''
          ? { allowed: res.status === 200, reason: res.headers['x-realmgate-reason'], revision: Number(res.headers['x-realmgate-revision']) }
          : JSON.parse(res.body)
      ) as { allowed: boolean; reason: string; revision: number };
      if (res.body !== '') {
        expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
        if (!decisionConforms(body)) throw new Error(`answer does not match openapi.yaml: ${JSON.stringify(decisionConforms.errors)}`);
      }
      expect(body.allowed).toBe(res.status === 200);
      const upstream: Record<string, string> = {};
      for (const [name, value] of Object.entries(res.headers)) {
        if (name.startsWith('x-realmgate-') && typeof value === 'string') upstream[name] = value;
      }
      const remove = res.headers['x-envoy-auth-headers-to-remove'];
      return {
        allowed: res.status === 200,
        status: res.status,
        reason: body.reason,
        revision: body.revision,
        upstream: res.status === 200 ? upstream : {},
        remove: typeof remove === 'string' && remove !== '' ? remove.split(',') : [],
      };
    },
    close: () => agent.destroy(),
  };
}

type CheckClient = Client & {
  Check(request: unknown, callback: (err: ServiceError | null, response: CheckResponseMessage & Record<string, unknown>) => void): void;
};

/** Envoy's gRPC ext_authz: a CheckRequest with attributes.request.http, from the vendored protos. */
export function grpcCaller(address: string): EnvoyCaller & { check(request: unknown): Promise<Record<string, unknown>> } {
  const Authorization = authorizationService();
  const client = new Authorization(address, credentials.createInsecure()) as unknown as CheckClient;
  const check = (request: unknown) =>
    new Promise<Record<string, unknown>>((resolve, reject) => {
      client.Check(request, (err, response) => (err ? reject(err) : resolve(response)));
    });
  return {
    check,
    async ask(request) {
      const response = (await check({
        attributes: {
          request: {
            time: { seconds: String(Math.floor(Date.now() / 1000)), nanos: 0 },
            http: {
              id: '7f3c',
              method: request.method,
              path: request.path,
              host: 'shop.example.com',
              scheme: 'http',
              protocol: 'HTTP/1.1',
              headers: { ':authority': 'shop.example.com', ':method': request.method, ':path': request.path, ...request.headers },
            },
          },
        },
      })) as {
        status: { code: number; message: string };
        ok_response?: { headers: { header: { key: string; value: string }; append_action: string }[]; headers_to_remove: string[] };
        denied_response?: { status: { code: string | number }; headers: { header: { key: string; value: string } }[]; body: string };
      };
      if (response.status.code === 0) {
        const upstream: Record<string, string> = {};
        for (const { header, append_action } of response.ok_response?.headers ?? []) {
          expect(append_action).toBe('OVERWRITE_IF_EXISTS_OR_ADD');
          upstream[header.key] = header.value;
        }
        return {
          allowed: true,
          status: 200,
          reason: upstream['x-realmgate-reason'],
          revision: Number(upstream['x-realmgate-revision']),
          upstream,
          remove: response.ok_response?.headers_to_remove ?? [],
        };
      }
      const denied = response.denied_response;
      const body = JSON.parse(denied?.body ?? '{}') as { reason: string; revision: number };
      expect(response.status.message).toBe(body.reason);
      expect(response.status.code).toBe(body.reason === 'missing_subject' ? 16 : 7);
      const status = denied?.status.code === 'Unauthorized' ? 401 : denied?.status.code === 'Forbidden' ? 403 : Number(denied?.status.code);
      return { allowed: false, status, reason: body.reason, revision: body.revision, upstream: {}, remove: [] };
    },
    close: () => client.close(),
  };
}
