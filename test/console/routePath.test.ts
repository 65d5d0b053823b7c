import { hrefOf, parseRoute } from '../../packages/console/src/routePath';

/** The console's own routes under /console, read from the address bar (whatever a link put there). */

test.each([
  ['/console', {}],
  ['/console/', {}],
  ['/console/realms/acme', { realm: 'acme' }],
  ['/console/realms/acme/matrix', { realm: 'acme', tab: 'matrix' }],
  ['/console/realms/a%20b/explain', { realm: 'a b', tab: 'explain' }],
  ['/console/elsewhere', {}],
])('%s is %j', (pathname, route) => {
  expect(parseRoute(pathname)).toEqual(route);
});

test.each(['/console/realms/%E0', '/console/realms/acme/%', '/console/%ZZ/acme'])('%s, which does not decode, is the realm list rather than an error', (pathname) => {
  expect(parseRoute(pathname)).toEqual({});
});

test.each([{}, { realm: 'acme' }, { realm: 'a/b?c#d', tab: 'matrix' }])('hrefOf(%j) reads back as the same route', (route) => {
  expect(parseRoute(hrefOf(route))).toEqual(route);
});
