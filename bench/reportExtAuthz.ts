import { pct, ratio, table, verdict } from './markdown';
import type { Results } from './results';
import { fixed, int, sizeLabel } from './stats';

/** ext_authz over HTTP and gRPC against POST /v1/check, median and p99 per request. */

const us = (n: number) => `${fixed(n, 0)} µs`;

export function extAuthzMet(r: Results): boolean | null {
  return r.extAuthz.length ? r.extAuthz.every((e) => e.httpRatio <= 1.3 && e.grpcRatio <= 1.3) : null;
}

export function extAuthzTarget(r: Results): [string, string, string] {
  return [
    'ext_authz median <= 1.3 x the median of POST /v1/check',
    r.extAuthz.length
      ? r.extAuthz.map((e) => `${sizeLabel(e.grants)}: HTTP ${ratio(e.httpRatio)}, gRPC ${ratio(e.grpcRatio)}`).join('; ')
      : 'no ext_authz run',
    verdict(extAuthzMet(r)),
  ];
}

export function extAuthzSection(r: Results): string {
  if (!r.extAuthz.length) return '';
  return [
    '## Envoy ext_authz against a plain check',
    '',
    'One realmgate process (PostgreSQL backend) with a routes file of 40 routes (20 tags, each with the',
    'org from a path parameter and realm-level; the realm from a header). The same decisions are asked',
    'three ways, one request at a time, each way on its own keep-alive connection, in 10 interleaved',
    'rounds whose order rotates, timed at the client: `POST /v1/check` with a JSON body; what Envoy\'s',
    'HTTP ext_authz sends (`GET /ext-authz/api/r<i>/orgs/<org>/items`, subject and realm in headers);',
    'and `envoy.service.auth.v3.Authorization/Check` over gRPC, sent as a proxy sends it: CheckRequests encoded ahead and',
    'written as gRPC frames on one HTTP/2 connection (bench/grpcWire.ts), so that no JavaScript client\'s encoding is counted.',
    'All three ways must agree on every decision.',
    '',
    table(
      ['grants', 'routes', 'requests per way', 'allowed', '/v1/check median / p99', 'HTTP ext_authz median / p99', 'gRPC Check median / p99', 'HTTP / check', 'gRPC / check'],
      r.extAuthz.map((e) => [
        int(e.grants),
        e.routes,
        int(e.requestsPerMode),
        pct(e.allowedShare),
        `${us(e.check.median)} / ${us(e.check.p99)}`,
        `${us(e.http.median)} / ${us(e.http.p99)}`,
        `${us(e.grpc.median)} / ${us(e.grpc.p99)}`,
        `**${ratio(e.httpRatio)}**`,
        `**${ratio(e.grpcRatio)}**`,
      ]),
    ),
  ].join('\n');
}
