import fc, { type Arbitrary } from 'fast-check';
import type { Operation, Parameter, Schema } from './contract';
import { flatten } from './contract';
import { arbitraryFor, type Hints } from './schemaArbitrary';

export type Scope = 'check' | 'read' | 'write' | 'admin';
const SCOPES: Scope[] = ['check', 'read', 'write', 'admin'];

/** The records and credentials a fuzz run starts with, which valid requests mostly refer to. */
export interface World {
  /** realms with records and realm tokens; never deleted by the run */
  realms: string[];
  users: string[];
  orgs: string[];
  roles: string[];
  tags: string[];
  /** tokens that the run may revoke */
  tokenIds: string[];
  webhookIds: string[];
  adminToken: string;
  /** realm -> scope -> secret */
  realmTokens: Record<string, Record<Scope, string>>;
  revokedToken: string;
  maxBodyBytes: number;
}

/** A request as sent: method, path with its query string, headers and the raw body. */
export interface FuzzRequest {
  op: string;
  kind: 'valid' | 'mutated';
  mutation?: string;
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string;
  /** the realm segment of the path, as sent */
  realm?: string;
  /** the query asks for a dry run */
  dryRun: boolean;
}

/** A request before it is encoded: what mutations work on. */
interface Draft {
  method: string;
  pathParams: Record<string, string>;
  query: [string, string][];
  headers: Record<string, string>;
  /** a JSON value, or undefined for no body */
  body?: unknown;
  /** a raw body that replaces `body` */
  rawBody?: string;
  /** literal JSON text to put where the placeholder string stands in the encoded body */
  splice?: string;
}

const SPLICE = '__fuzz_splice__';
const enc = encodeURIComponent;

function hintsFor(world: World): Hints {
  const pool = <T>(values: T[], other?: Arbitrary<T>) =>
    other ? fc.oneof({ arbitrary: fc.constantFrom(...values), weight: 6 }, { arbitrary: other, weight: 1 }) : fc.constantFrom(...values);
  return {
    realm: pool(world.realms, fc.stringMatching(/^[a-z][a-z0-9]{0,8}$/)),
    user: pool(world.users, fc.stringMatching(/^[a-z][a-z0-9]{0,8}$/)),
    org: pool(world.orgs, fc.stringMatching(/^[a-z][a-z0-9]{0,8}$/)),
    'roles[]': pool(world.roles, fc.stringMatching(/^[a-z][a-z0-9]{0,8}$/)),
    'permissions[]': pool(world.tags, fc.stringMatching(/^[A-Za-z0-9*:;._-]{1,20}$/)),
    permission: pool(world.tags, fc.stringMatching(/^[A-Za-z0-9*:;._-]{1,20}$/)),
    'events[]': fc.constantFrom('*', 'membership.*', 'role.updated', 'user.created', 'realm.deleted'),
    // reserved names (RFC 2606, which do not resolve here) and documentation addresses (RFC 5737, 3849): never a real receiver
    url: fc.constantFrom('https://hooks.example.com/realmgate', 'http://receiver.invalid/in', 'https://192.0.2.10/hook', 'http://198.51.100.7:8080/in', 'https://[2001:db8::1]/h'),
    atLeast: fc.oneof({ arbitrary: fc.integer({ min: 0, max: 40 }), weight: 9 }, { arbitrary: fc.constant(9007199254740991), weight: 1 }),
  };
}

/** Valid values for a path, query or header parameter, as the string that is sent. */
function parameterValue(p: Parameter, op: Operation, world: World, hints: Hints): Arbitrary<string> {
  const schema = p.schema;
  if (p.in === 'path') {
    if (p.name === 'realm' && op.id === 'deleteRealm') return fc.constantFrom('scratch', 'gone', 'r9');
    if (p.name === 'realm') return fc.oneof({ arbitrary: fc.constantFrom(...world.realms), weight: 9 }, { arbitrary: fc.constantFrom('scratch', 'nowhere'), weight: 1 });
    if (p.name === 'id' && op.template.includes('/tokens/')) return fc.oneof(fc.constantFrom(...world.tokenIds), fc.uuid());
    if (p.name === 'id' && op.template.includes('/webhooks/')) {
      return fc.oneof({ arbitrary: fc.constantFrom(...world.webhookIds), weight: 4 }, { arbitrary: fc.stringMatching(/^wh_[A-Za-z0-9_-]{1,12}$/), weight: 1 });
    }
    if (p.name === 'role') return fc.oneof(fc.constantFrom(...world.roles), fc.constantFrom('auditor', 'ops'));
    if (p.name === 'path') return fc.constantFrom('orgs/o1/orders', 'orgs/eng/orders/7', 'reports', 'admin/users/7', 'nowhere', 'orgs/a/../b');
    return (arbitraryFor(schema, hints, p.name) as Arbitrary<unknown>).map((v) => enc(String(v)));
  }
  if (p.name === 'Last-Event-ID') return fc.constantFrom('1.1', '0.1', '3.2');
  if (p.name === 'If-Match') return fc.constantFrom('*', '"1"', 'W/"2"', '"999"');
  if (p.name === 'dryRun') return fc.constantFrom('true', 'false');
  if (p.name === 'org') return fc.constantFrom(...world.orgs);
  return arbitraryFor(schema, hints, p.name).map((v) => String(v));
}

function authFor(op: Operation, world: World): Arbitrary<string | undefined> {
  if (op.security === 'none') return fc.constantFrom(undefined, undefined, `Bearer ${world.adminToken}`);
  if (op.security === 'adminToken') return fc.constant(`Bearer ${world.adminToken}`);
  return fc.constant(`Bearer ${world.adminToken}`);
}

function validDraft(op: Operation, world: World, hints: Hints): Arbitrary<Draft> {
  const params = op.parameters;
  const path = fc.record(Object.fromEntries(params.filter((p) => p.in === 'path').map((p) => [p.name, parameterValue(p, op, world, hints)])));
  const optional = (p: Parameter) => fc.option(parameterValue(p, op, world, hints), { nil: undefined, freq: 2 });
  const query = fc
    .tuple(...params.filter((p) => p.in === 'query').map((p) => (p.required ? parameterValue(p, op, world, hints) : optional(p)).map((v) => [p.name, v] as const)))
    .map((pairs) => pairs.filter((pair): pair is [string, string] => pair[1] !== undefined));
  const headerParams = fc
    .tuple(...params.filter((p) => p.in === 'header').map((p) => optional(p).map((v) => [p.name, v] as const)))
    .map((pairs) => Object.fromEntries(pairs.filter((pair) => pair[1] !== undefined)) as Record<string, string>);
  const body: Arbitrary<unknown> = op.body
    ? op.body.required
      ? arbitraryFor(op.body.schema, hints)
      : fc.option(arbitraryFor(op.body.schema, hints), { nil: undefined })
    : fc.constant(undefined);
  const subject = fc.option(fc.constantFrom(...world.users), { nil: undefined, freq: 5 });
  return fc.record({ path, query, headerParams, body, auth: authFor(op, world), subject }).chain((d) => {
    const realm = d.path.realm ? decodeURIComponent(d.path.realm) : undefined;
    const realmTokens = realm ? world.realmTokens[realm] : undefined;
    // operations that take a realm token: sometimes sent with the realm's own token of the scope needed
    const scoped = op.security !== 'none' && op.security !== 'adminToken' && realmTokens;
    const auth = scoped ? fc.oneof({ arbitrary: fc.constant(d.auth), weight: 3 }, { arbitrary: fc.constantFrom(...SCOPES.slice(SCOPES.indexOf(op.security as Scope))).map((s) => `Bearer ${realmTokens[s]}`), weight: 1 }) : fc.constant(d.auth);
    return auth.map((authorization) => {
      const headers: Record<string, string> = { ...d.headerParams };
      if (authorization) headers.authorization = authorization;
      if (op.template.startsWith('/ext-authz') && d.subject) headers['x-jwt-sub'] = d.subject;
      if (op.id === 'listChanges') headers.accept = 'application/json';
      return { method: op.method, pathParams: d.path, query: d.query, headers, body: d.body };
    });
  });
}

// ---- mutations: each turns a valid draft into a request that breaks one rule ----

type Mutation = { applies: (op: Operation) => boolean; apply: (d: Draft, op: Operation, world: World) => Arbitrary<Draft> };

const hasBody = (op: Operation) => op.body !== undefined;
const hasQuery = (op: Operation) => op.parameters.some((p) => p.in === 'query');
const isExtAuthz = (op: Operation) => op.template.startsWith('/ext-authz');
const withBody = (d: Draft, body: unknown): Draft => ({ ...d, body, rawBody: undefined });

/** Paths to every node of a JSON value, the root included. */
function nodes(value: unknown, at: (string | number)[] = []): (string | number)[][] {
  const out = [at];
  if (Array.isArray(value)) value.slice(0, 20).forEach((v, i) => out.push(...nodes(v, [...at, i])));
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) out.push(...nodes(v, [...at, k]));
  return out;
}

function setAt(value: unknown, at: (string | number)[], replacement: unknown): unknown {
  if (at.length === 0) return replacement;
  const copy: any = Array.isArray(value) ? [...value] : { ...(value as object) };
  const [head, ...rest] = at;
  // defineProperty makes even `__proto__` an own, serialised key
  Object.defineProperty(copy, head, { value: setAt(copy[head], rest, replacement), enumerable: true, writable: true, configurable: true });
  return copy;
}

function getAt(value: unknown, at: (string | number)[]): unknown {
  return at.reduce<any>((v, k) => (v == null ? undefined : v[k]), value);
}

const objectBody = (d: Draft): Record<string, unknown> => (d.body && typeof d.body === 'object' && !Array.isArray(d.body) ? (d.body as Record<string, unknown>) : {});
const pick = <T>(values: T[]): Arbitrary<T> => fc.constantFrom(...values);

const WRONG_TYPES: unknown[] = [42, -1, 1.5, true, false, null, 'x', '', [], {}, [1, 2], { a: 1 }, ['orders:rw'], 9007199254740993];
const BAD_TAGS = ['', ' ', 'ORDERS RW', 'a'.repeat(63), 'tag/x', 'é', 'orders:rw\n', '<script>', 'x%', 'a\u0000b', '🙂'];
const BAD_SEGMENTS = ['.', '..', '-x', '_x', 'a'.repeat(200), 'a%2Fb', '%C3%BC', 'a%20b', '%00', '%', '%zz', '__proto__', 'constructor', 'a%2F..%2Fb'];
const BAD_NUMBERS = ['0x10', '1e3', ' 5', '+5', '5.0', '-0', '0b1', 'Infinity', 'NaN', '', '-1', '99999999999999999999', '1,2'];
const ODD_METHODS = ['PATCH', 'PUT', 'POST', 'DELETE', 'GET', 'TRACE', 'PROPFIND', 'PURGE', 'SEARCH', 'COPY', 'LOCK', 'OPTIONS', 'HEAD'];

const MUTATIONS: Record<string, Mutation> = {
  'body-wrong-type': {
    applies: hasBody,
    apply: (d) => fc.tuple(pick(nodes(d.body ?? {})), pick(WRONG_TYPES)).map(([at, v]) => withBody(d, setAt(d.body ?? {}, at, v))),
  },
  'body-missing-field': {
    applies: (op) => hasBody(op),
    apply: (d, op) => {
      const schema = flatten(op.body!.schema as Schema);
      const body = objectBody(d);
      const keys = [...new Set([...(schema.required ?? []), ...Object.keys(body)])];
      if (keys.length === 0) return fc.constant(withBody(d, {}));
      return pick(keys).map((k) => {
        const { [k]: _dropped, ...rest } = body;
        return withBody(d, rest);
      });
    },
  },
  'body-extra-property': {
    applies: hasBody,
    apply: (d) =>
      fc.tuple(pick(nodes(d.body ?? {}).filter((at) => { const v = getAt(d.body ?? {}, at); return v !== null && typeof v === 'object' && !Array.isArray(v); })), pick(['extra', '__proto__', 'constructor', 'Roles', 'permissions ', '', 'prototype']), pick(WRONG_TYPES))
        .map(([at, key, v]) => withBody(d, setAt(d.body ?? {}, [...at, key], v))),
  },
  'body-long-string': {
    applies: hasBody,
    apply: (d) => fc.tuple(pick(nodes(d.body ?? {})), pick([63, 64, 101, 129, 501, 2001, 20000])).map(([at, n]) => withBody(d, setAt(d.body ?? {}, at.length ? at : ['permissions'], 'a'.repeat(n)))),
  },
  'body-bad-tag': {
    applies: hasBody,
    apply: (d) =>
      fc.tuple(pick(BAD_TAGS), fc.nat(3)).map(([tag, i]) => {
        const body = objectBody(d);
        const list = Array.isArray(body.permissions) ? [...(body.permissions as string[])] : [];
        list.splice(Math.min(i, list.length), 0, tag);
        return withBody(d, { ...body, permissions: list });
      }),
  },
  'body-too-many-items': {
    applies: hasBody,
    apply: (d) =>
      pick(['permissions', 'roles', 'checks', 'events', 'scopes']).map((key) => {
        const item = key === 'checks' ? { subject: 'u1', permission: 'a' } : key === 'events' ? '*' : key === 'scopes' ? 'read' : `t${'x'}`;
        const n = key === 'checks' ? 1001 : key === 'events' ? 51 : key === 'scopes' ? 5 : 2001;
        return withBody(d, { ...objectBody(d), [key]: Array.from({ length: n }, (_, i) => (typeof item === 'string' && key !== 'events' && key !== 'scopes' ? `${item}${i}` : item)) });
      }),
  },
  'body-huge-number': {
    applies: hasBody,
    apply: (d) =>
      fc.tuple(pick(nodes(d.body ?? {})), pick(['9007199254740992', '18446744073709551616', '1e400', '-1e400', '-1', '1.5', '-0', '1e308', '0.1e1'])).map(([at, literal]) => ({
        ...withBody(d, setAt(d.body ?? {}, at.length ? at : ['atLeast'], SPLICE)),
        splice: literal,
      })),
  },
  'body-empty': { applies: () => true, apply: (d) => fc.constant({ ...d, body: undefined, rawBody: '', headers: { ...d.headers, 'content-type': 'application/json' } }) },
  'body-absent': { applies: hasBody, apply: (d) => fc.constant({ ...d, body: undefined, rawBody: undefined }) },
  'body-malformed-json': {
    applies: () => true,
    apply: (d) => pick(['{', '{"a":}', "{'a':1}", 'nul', '{"a":1}}', '\u0000', '[1,]', '{"permissions":["a",]}', '0x10', '\ufeff{}']).map((raw) => ({ ...d, rawBody: raw, body: undefined })),
  },
  'body-not-object': { applies: hasBody, apply: (d) => pick<unknown>([[], 'x', null, 1, true, [{}], [d.body]]).map((v) => withBody(d, v)) },
  'body-deep-nesting': {
    applies: hasBody,
    apply: (d) => fc.constantFrom(100, 3000).map((depth) => ({ ...d, body: undefined, rawBody: `{"permissions":${'['.repeat(depth)}${']'.repeat(depth)}}` })),
  },
  'body-too-large': {
    applies: () => true,
    apply: (d, _op, world) => fc.constant({ ...d, body: undefined, rawBody: JSON.stringify({ permissions: Array.from({ length: Math.ceil(world.maxBodyBytes / 8) }, (_, i) => `t${i}`) }) }),
  },
  'content-type': {
    applies: () => true,
    apply: (d) =>
      pick(['text/plain', 'application/x-www-form-urlencoded', 'application/xml', 'multipart/form-data; boundary=x', 'application/json; charset=utf-16', 'application/jsonx', 'application/json; charset=latin1', '*/*']).map((type) => ({
        ...d,
        body: d.body ?? {},
        headers: { ...d.headers, 'content-type': type },
      })),
  },
  'query-number-form': {
    applies: () => true,
    apply: (d, op) => {
      const numeric = op.parameters.filter((p) => p.in === 'query' && (p.schema.type === 'integer' || p.schema.type === 'number')).map((p) => p.name);
      return fc.tuple(pick(numeric.length ? numeric : ['limit', 'after']), pick(BAD_NUMBERS)).map(([name, v]) => ({ ...d, query: [...d.query.filter(([n]) => n !== name), [name, v]] }));
    },
  },
  'query-bracketed': {
    applies: () => true,
    apply: (d, op) =>
      fc.tuple(pick([...op.parameters.filter((p) => p.in === 'query').map((p) => p.name), 'org']), pick(['[x]', '[__proto__]', '[]', '[0]', '[constructor][prototype]'])).map(([name, suffix]) => ({ ...d, query: [...d.query, [`${name}${suffix}`, 'eng']] })),
  },
  'query-repeated': {
    applies: () => true,
    apply: (d, op) => pick([...op.parameters.filter((p) => p.in === 'query').map((p) => p.name), 'org']).map((name) => ({ ...d, query: [...d.query, [name, 'o1'], [name, 'o2']] })),
  },
  'query-unknown': { applies: () => true, apply: (d) => pick(['foo', 'ORG', 'dryrun', '__proto__', 'q']).map((name) => ({ ...d, query: [...d.query, [name, 'x']] })) },
  'query-bad-value': {
    applies: hasQuery,
    apply: (d, op) =>
      fc.tuple(pick(op.parameters.filter((p) => p.in === 'query').map((p) => p.name)), pick(['bad value!', 'a'.repeat(100), '', 'TRUE', '1', 'yes', 'o1/o2', '%', '*'])).map(([name, v]) => ({ ...d, query: [...d.query.filter(([n]) => n !== name), [name, v]] })),
  },
  'query-missing-required': {
    applies: (op) => op.parameters.some((p) => p.in === 'query' && p.required),
    apply: (d, op) => fc.constant({ ...d, query: d.query.filter(([n]) => !op.parameters.some((p) => p.in === 'query' && p.required && p.name === n)) }),
  },
  'path-bad-segment': {
    applies: (op) => op.parameters.some((p) => p.in === 'path'),
    apply: (d) => fc.tuple(pick(Object.keys(d.pathParams)), pick(BAD_SEGMENTS)).map(([name, v]) => ({ ...d, pathParams: { ...d.pathParams, [name]: v } })),
  },
  'auth-absent': { applies: (op) => op.security !== 'none', apply: (d) => fc.constant({ ...d, headers: withoutAuth(d.headers) }) },
  'auth-garbage': {
    applies: () => true,
    apply: (d, _op, world) =>
      pick(['Bearer nope', `Bearer rgt_${'A'.repeat(43)}`, 'Basic dXNlcjpwYXNz', 'Bearer', 'Bearer ', `Bearer  ${world.adminToken}`, `Bearer ${world.adminToken}x`, `Token ${world.adminToken}`, `Bearer ${world.adminToken.slice(0, -1)}`, 'Bearer rgt_', `Bearer ${'x'.repeat(5000)}`]).map((a) => ({
        ...d,
        headers: { ...withoutAuth(d.headers), authorization: a },
      })),
  },
  'auth-foreign-realm': {
    applies: (op) => op.security !== 'none',
    apply: (d, _op, world) => {
      const realm = d.pathParams.realm ? decodeURIComponent(d.pathParams.realm) : undefined;
      const foreign = world.realms.filter((r) => r !== realm);
      return fc.tuple(pick(foreign), pick(SCOPES)).map(([r, s]) => ({ ...d, headers: { ...withoutAuth(d.headers), authorization: `Bearer ${world.realmTokens[r][s]}` } }));
    },
  },
  'auth-scope-too-low': {
    applies: (op) => ['read', 'write', 'admin', 'adminToken'].includes(op.security),
    apply: (d, op, world) => {
      const realm = d.pathParams.realm ? decodeURIComponent(d.pathParams.realm) : world.realms[0];
      const tokens = world.realmTokens[realm] ?? world.realmTokens[world.realms[0]];
      const below = op.security === 'adminToken' ? SCOPES : SCOPES.slice(0, SCOPES.indexOf(op.security as Scope));
      return pick(below).map((s) => ({ ...d, headers: { ...withoutAuth(d.headers), authorization: `Bearer ${tokens[s]}` } }));
    },
  },
  'auth-revoked': { applies: (op) => op.security !== 'none', apply: (d, _op, world) => fc.constant({ ...d, headers: { ...withoutAuth(d.headers), authorization: `Bearer ${world.revokedToken}` } }) },
  'method-odd': { applies: () => true, apply: (d) => pick(ODD_METHODS.filter((m) => m !== d.method)).map((method) => ({ ...d, method })) },
  'header-bad': {
    applies: () => true,
    apply: (d) =>
      fc.oneof(
        pick(['abc', '"x"', 'W/', '1 2', '*, "1"', '"1234567890123456"']).map((v) => ['If-Match', v] as const),
        pick(['x', '1', '1.1.1', '9999999999999999.1']).map((v) => ['Last-Event-ID', v] as const),
        pick(['', 'a b', 'x'.repeat(300), '../../etc']).map((v) => ['X-Request-Id', v] as const),
      ).map(([name, v]) => ({ ...d, headers: { ...d.headers, [name]: v } })),
  },
  'host-foreign': {
    applies: (op) => !isExtAuthz(op),
    apply: (d) => pick(['evil.example.com', 'localhost.example.com:8181', '127.0.0.1.nip.io', 'attacker.invalid']).map((host) => ({ ...d, headers: { ...d.headers, host } })),
  },
  'body-unexpected': { applies: (op) => !hasBody(op), apply: (d) => fc.constant({ ...d, body: { permissions: ['orders:rw'], x: 1 } }) },
};

function withoutAuth(headers: Record<string, string>): Record<string, string> {
  const { authorization: _dropped, ...rest } = headers;
  return rest;
}

function encode(op: Operation, d: Draft, kind: FuzzRequest['kind'], mutation?: string): FuzzRequest {
  const path = op.template.replace(/\{([^}]+)\}/g, (_m, name: string) => d.pathParams[name] ?? '');
  const query = d.query.map(([k, v]) => `${enc(k).replace(/%5B/g, '[').replace(/%5D/g, ']')}=${enc(v)}`).join('&');
  const headers = { ...d.headers };
  let body: string | undefined;
  if (d.rawBody !== undefined) body = d.rawBody;
  else if (d.body !== undefined) body = JSON.stringify(d.body);
  if (body !== undefined && d.splice !== undefined) body = body.replace(`"${SPLICE}"`, d.splice);
  if (body !== undefined && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) headers['content-type'] = 'application/json';
  // a HEAD or TRACE request carries no body
  if (['HEAD', 'TRACE', 'GET'].includes(d.method) && kind === 'mutated' && mutation === 'method-odd') body = undefined;
  return {
    op: op.id,
    kind,
    mutation,
    method: d.method,
    path: query ? `${path}?${query}` : path,
    headers,
    body,
    realm: d.pathParams.realm,
    dryRun: d.query.some(([k, v]) => k === 'dryRun' && v === 'true'),
  };
}

/** Valid requests (one in three) and mutated ones, over every operation of the contract alike. */
export function requestArbitrary(operations: Operation[], world: World): Arbitrary<FuzzRequest> {
  const hints = hintsFor(world);
  const perOperation = operations.map((op) => {
    const valid = validDraft(op, world, hints);
    const applicable = Object.keys(MUTATIONS).filter((m) => MUTATIONS[m].applies(op));
    return fc.oneof(
      { arbitrary: valid.map((d) => encode(op, d, 'valid')), weight: 1 },
      {
        arbitrary: fc.tuple(valid, fc.constantFrom(...applicable)).chain(([d, m]) => MUTATIONS[m].apply(d, op, world).map((md) => encode(op, md, 'mutated', m))),
        weight: 2,
      },
    );
  });
  return fc.oneof(...perOperation);
}

export const MUTATION_NAMES = Object.keys(MUTATIONS);
