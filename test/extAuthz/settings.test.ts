import path from 'node:path';
import { ConfigError, readConfig } from '../../src/config';
import { PROJECT_ROOT } from '../../src/projectRoot';

const fixture = (name: string) => path.join(PROJECT_ROOT, 'test', 'extAuthz', 'fixtures', name);
const EXAMPLE = path.join(PROJECT_ROOT, 'deploy', 'envoy', 'ext-authz.yaml');

function refusal(env: Record<string, string>): string {
  try {
    readConfig(env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message;
  }
  throw new Error('readConfig accepted the settings');
}

describe('the ext_authz routes file (REALMGATE_EXT_AUTHZ_CONFIG)', () => {
  test('the example in deploy/envoy is read into routes tried in order', () => {
    const { extAuthz } = readConfig({ REALMGATE_EXT_AUTHZ_CONFIG: EXAMPLE });
    expect(extAuthz).toEqual({
      file: EXAMPLE,
      subjectHeader: 'x-jwt-sub',
      realm: { name: 'acme' },
      defaultAction: 'deny',
      routes: [
        { method: 'GET', path: '/orgs/:org/orders', permission: 'orders:read', org: { param: 'org' } },
        { method: 'POST', path: '/orgs/:org/orders', permission: 'orders:write', org: { param: 'org' } },
        { method: '*', path: '/orgs/:org/orders/:id', permission: 'orders:rw', org: { param: 'org' } },
        { method: 'GET', path: '/reports', permission: 'reports.read', org: { header: 'x-org' } },
        { method: '*', path: '/admin/*rest', permission: 'realm.admin' },
      ],
    });
    expect(Object.isFrozen(extAuthz)).toBe(true);
  });

  test('header names and permissions are lower-cased; the realm may come from a header', () => {
    const { extAuthz } = readConfig({ REALMGATE_EXT_AUTHZ_CONFIG: fixture('realm-from-header.yaml') });
    expect(extAuthz).toMatchObject({
      subjectHeader: 'x-user',
      realm: { header: 'x-realm' },
      defaultAction: 'allow',
      routes: [{ method: 'GET', path: '/orgs/:org/orders', permission: 'orders:read', org: { param: 'org' } }],
    });
  });

  test('a file naming no realm uses REALMGATE_DEFAULT_REALM, and needs it', () => {
    expect(readConfig({ REALMGATE_EXT_AUTHZ_CONFIG: fixture('no-realm.yaml'), REALMGATE_DEFAULT_REALM: 'acme' }).extAuthz?.realm).toEqual({
      name: 'acme',
    });
    expect(refusal({ REALMGATE_EXT_AUTHZ_CONFIG: fixture('no-realm.yaml') })).toBe(
      `REALMGATE_EXT_AUTHZ_CONFIG: ${fixture('no-realm.yaml')}: realm is required when REALMGATE_DEFAULT_REALM is not set`,
    );
  });

  test.each([
    ['bad-yaml.yaml', 'is not valid YAML: Sequence item without - indicator at line 5, column 1'],
    ['bad-method.yaml', 'routes[1].method must be equal to one of the allowed values (*, GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS, CONNECT, TRACE)'],
    ['bad-key.yaml', "routes[0] must NOT have additional properties ('orgg')"],
    ['bad-pattern.yaml', 'routes[0].path is not a valid path pattern: Missing parameter name at index 7: /orgs/:/orders'],
    ['bad-org-param.yaml', "routes[0].org.param must name a :parameter of the path '/orgs/:orgId/orders', got 'org'"],
    ['bad-org-source.yaml', 'routes[0].org must NOT have more than 1 properties'],
    ['bad-realm.yaml', 'realm must match pattern "^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$"'],
    ['bad-permission.yaml', 'routes[0].permission must match pattern "^[A-Za-z0-9*:;._-]{1,62}$"'],
    ['no-routes.yaml', 'routes must NOT have fewer than 1 items'],
  ])('%s is refused, naming the file, the place and the rule', (name, rule) => {
    expect(refusal({ REALMGATE_EXT_AUTHZ_CONFIG: fixture(name) })).toBe(`REALMGATE_EXT_AUTHZ_CONFIG: ${fixture(name)}: ${rule}`);
  });

  test('a file that cannot be read is refused', () => {
    expect(refusal({ REALMGATE_EXT_AUTHZ_CONFIG: fixture('absent.yaml') })).toBe(
      `REALMGATE_EXT_AUTHZ_CONFIG: ${fixture('absent.yaml')}: cannot be read (ENOENT)`,
    );
  });

  test('the gRPC port: off by default, on loopback, and only with a routes file', () => {
    expect(readConfig({})).toMatchObject({ grpcPort: undefined, grpcHost: '127.0.0.1', extAuthz: undefined });
    expect(readConfig({ REALMGATE_EXT_AUTHZ_CONFIG: EXAMPLE, REALMGATE_GRPC_PORT: '9191' })).toMatchObject({ grpcPort: 9191, grpcHost: '127.0.0.1' });
    expect(refusal({ REALMGATE_GRPC_PORT: '9191' })).toBe(
      'REALMGATE_GRPC_PORT needs REALMGATE_EXT_AUTHZ_CONFIG: the gRPC service answers with its routes',
    );
    expect(refusal({ REALMGATE_EXT_AUTHZ_CONFIG: EXAMPLE, REALMGATE_GRPC_PORT: 'ninety' })).toBe(
      "REALMGATE_GRPC_PORT must be an integer from 0 to 65535, got 'ninety'",
    );
  });
});
