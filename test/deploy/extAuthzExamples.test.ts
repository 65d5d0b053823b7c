import fs from 'node:fs';
import path from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { readConfig } from '../../src/config';
import { PROJECT_ROOT } from '../../src/projectRoot';

/**
 * The Envoy and Istio examples, parsed and checked for what makes them work with realmgate. (Envoy
 * itself is not packaged for Debian, so `envoy --mode validate` cannot run here.)
 */
const read = (file: string) => fs.readFileSync(path.join(PROJECT_ROOT, 'deploy', file), 'utf8');
type Yaml = any;

function httpFilters(config: Yaml): Yaml[] {
  const manager = config.static_resources.listeners[0].filter_chains[0].filters[0];
  expect(manager.name).toBe('envoy.filters.network.http_connection_manager');
  // realmgate refuses ambiguous paths; Envoy resolves them first
  expect(manager.typed_config).toMatchObject({ normalize_path: true, merge_slashes: true });
  return manager.typed_config.http_filters;
}

function cluster(config: Yaml, name: string): Yaml {
  return config.static_resources.clusters.find((c: Yaml) => c.name === name);
}

const routes = readConfig({ REALMGATE_EXT_AUTHZ_CONFIG: path.join(PROJECT_ROOT, 'deploy', 'envoy', 'ext-authz.yaml') }).extAuthz!;
const headersRoutesRead = [routes.subjectHeader, ...routes.routes.flatMap((r) => (r.org && 'header' in r.org ? [r.org.header] : []))];

describe.each(['envoy-http.yaml', 'envoy-grpc.yaml'])('deploy/envoy/%s', (file) => {
  const config = parse(read(`envoy/${file}`));
  const filters = httpFilters(config);

  test('jwt_authn runs first, requires a token, and sets the subject header realmgate reads', () => {
    expect(filters.map((f: Yaml) => f.name)).toEqual(['envoy.filters.http.jwt_authn', 'envoy.filters.http.ext_authz', 'envoy.filters.http.router']);
    const jwt = filters[0].typed_config;
    const provider = Object.values(jwt.providers)[0] as Yaml;
    expect(provider.claim_to_headers).toEqual([{ header_name: routes.subjectHeader, claim_name: 'sub' }]);
    expect(jwt.rules).toEqual([{ match: { prefix: '/' }, requires: { provider_name: Object.keys(jwt.providers)[0] } }]);
  });

  test('ext_authz fails closed and reaches realmgate on loopback', () => {
    const authz = filters[1].typed_config;
    expect(authz).toMatchObject({ transport_api_version: 'V3', failure_mode_allow: false });
    if (file === 'envoy-http.yaml') {
      expect(authz.http_service).toMatchObject({ server_uri: { uri: 'http://127.0.0.1:8181', cluster: 'realmgate' }, path_prefix: '/ext-authz' });
      const allowed = authz.http_service.authorization_request.allowed_headers.patterns.map((p: Yaml) => p.exact);
      expect(allowed).toEqual(expect.arrayContaining(headersRoutesRead));
      expect(authz.http_service.authorization_response.allowed_upstream_headers.patterns).toEqual([{ prefix: 'x-realmgate-' }]);
      expect(cluster(config, 'realmgate').load_assignment.endpoints[0].lb_endpoints[0].endpoint.address.socket_address).toEqual({
        address: '127.0.0.1',
        port_value: 8181,
      });
    } else {
      expect(authz.grpc_service.envoy_grpc.cluster_name).toBe('realmgate-grpc');
      const grpc = cluster(config, 'realmgate-grpc');
      expect(grpc.typed_extension_protocol_options['envoy.extensions.upstreams.http.v3.HttpProtocolOptions'].explicit_http_config).toEqual({
        http2_protocol_options: {},
      });
      expect(grpc.load_assignment.endpoints[0].lb_endpoints[0].endpoint.address.socket_address).toEqual({ address: '127.0.0.1', port_value: 9191 });
    }
  });
});

describe('deploy/istio', () => {
  const mesh = parse(read('istio/mesh-config.yaml'));
  const providers = mesh.spec.meshConfig.extensionProviders as Yaml[];

  test('the mesh has a gRPC and an HTTP provider, both failing closed, at realmgate.local', () => {
    expect(providers.find((p) => p.name === 'realmgate-grpc').envoyExtAuthzGrpc).toMatchObject({ service: 'realmgate.local', port: 9191, failOpen: false });
    const http = providers.find((p) => p.name === 'realmgate-http').envoyExtAuthzHttp;
    expect(http).toMatchObject({ service: 'realmgate.local', port: 8181, pathPrefix: '/ext-authz', failOpen: false, headersToUpstreamOnAllow: ['x-realmgate-*'] });
    expect(http.includeRequestHeadersInCheck).toEqual(expect.arrayContaining(headersRoutesRead));
  });

  test('realmgate.local is the pod’s own loopback', () => {
    const entry = parse(read('istio/service-entry.yaml'));
    expect(entry).toMatchObject({ kind: 'ServiceEntry', spec: { hosts: ['realmgate.local'], endpoints: [{ address: '127.0.0.1' }], resolution: 'STATIC' } });
    expect(entry.spec.ports.map((p: Yaml) => p.number).sort()).toEqual([8181, 9191]);
  });

  test('a CUSTOM policy names a provider the mesh defines, and an ALLOW policy requires a verified token', () => {
    const [custom, requireJwt] = parseAllDocuments(read('istio/authorization-policy.yaml')).map((d) => d.toJS());
    expect(custom).toMatchObject({ apiVersion: 'security.istio.io/v1', kind: 'AuthorizationPolicy', spec: { action: 'CUSTOM' } });
    expect(providers.map((p) => p.name)).toContain(custom.spec.provider.name);
    expect(requireJwt.spec).toMatchObject({ action: 'ALLOW', rules: [{ from: [{ source: { requestPrincipals: ['*'] } }] }] });
    const authn = parse(read('istio/request-authentication.yaml'));
    expect(authn.spec.jwtRules[0].outputClaimToHeaders).toEqual([{ header: routes.subjectHeader, claim: 'sub' }]);
    expect(authn.spec.selector).toEqual(custom.spec.selector);
  });
});
