import fs from 'node:fs';
import Ajv from 'ajv';
import { parse as parsePath, type Token } from 'path-to-regexp';
import { parseDocument } from 'yaml';
import { EXT_AUTHZ_SETTINGS_SCHEMA } from './settingsSchema';

/** Where a value is read from: a parameter of the route's path, or a request header. */
export type Source = { readonly param: string } | { readonly header: string };

export interface ExtAuthzRoute {
  /** an HTTP method in capitals, or `*` for any */
  readonly method: string;
  /** a path-to-regexp pattern: `/orgs/:org/orders`, `/files/*rest` */
  readonly path: string;
  /** lower-cased, as checks compare tags */
  readonly permission: string;
  /** undefined: a realm-level check */
  readonly org?: Source;
}

export interface ExtAuthzSettings {
  /** the file they were read from, for messages */
  readonly file: string;
  /** lower-cased header name holding the verified subject */
  readonly subjectHeader: string;
  /** a fixed realm, or the (lower-cased) header that names it */
  readonly realm: { readonly name: string } | { readonly header: string };
  /** what an unmatched request gets */
  readonly defaultAction: 'allow' | 'deny';
  /** tried in order; the first that matches decides */
  readonly routes: readonly ExtAuthzRoute[];
}

/** A settings file that cannot be used; the message names the file, the place and the rule. */
export class ExtAuthzSettingsError extends Error {}

interface RawSettings {
  subjectHeader: string;
  realm?: string | { header: string };
  defaultAction?: 'allow' | 'deny';
  routes: { method: string; path: string; permission: string; org?: { param?: string; header?: string } }[];
}

const validate = new Ajv({ strict: true, allErrors: false }).compile<RawSettings>(EXT_AUTHZ_SETTINGS_SCHEMA);

/** "/routes/2/org/param" -> "routes[2].org.param" */
function place(pointer: string): string {
  return pointer
    .split('/')
    .filter(Boolean)
    .reduce((acc, p) => (/^\d+$/.test(p) ? `${acc}[${p}]` : acc ? `${acc}.${p}` : p), '');
}

function namedParams(tokens: readonly Token[], into: Map<string, Token['type']> = new Map()): Map<string, Token['type']> {
  for (const token of tokens) {
    if (token.type === 'param' || token.type === 'wildcard') into.set(token.name, token.type);
    else if (token.type === 'group') namedParams(token.tokens, into);
  }
  return into;
}

/**
 * Reads and checks the file REALMGATE_EXT_AUTHZ_CONFIG names. `defaultRealm` stands in when the
 * file names no realm. Throws ExtAuthzSettingsError on the first problem found.
 */
export function loadExtAuthzSettings(file: string, defaultRealm: string | undefined): ExtAuthzSettings {
  const fail = (where: string, rule: string): never => {
    throw new ExtAuthzSettingsError(`${file}: ${where ? `${where} ` : ''}${rule}`);
  };
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    return fail('', `cannot be read (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
  }
  const doc = parseDocument(text, { uniqueKeys: true });
  if (doc.errors.length > 0) {
    // the first line of the message names the line and column
    return fail('', `is not valid YAML: ${doc.errors[0].message.split('\n')[0].replace(/:$/, '')}`);
  }
  const raw: unknown = doc.toJS();
  if (!validate(raw)) {
    const error = validate.errors?.[0];
    const where = place(error?.instancePath ?? '') || '(the document)';
    const allowed = error?.params && 'allowedValues' in error.params ? ` (${(error.params.allowedValues as string[]).join(', ')})` : '';
    const extra = error?.params && 'additionalProperty' in error.params ? ` ('${String(error.params.additionalProperty)}')` : '';
    return fail(where, `${error?.message ?? 'is invalid'}${allowed}${extra}`);
  }

  const routes = raw.routes.map((route, i): ExtAuthzRoute => {
    let params: Map<string, Token['type']>;
    try {
      params = namedParams(parsePath(route.path).tokens);
    } catch (err) {
      return fail(`routes[${i}].path`, `is not a valid path pattern: ${(err as Error).message.replace(/; visit .*$/, '')}`);
    }
    let org: Source | undefined;
    if (route.org?.param !== undefined) {
      const kind = params.get(route.org.param);
      if (kind !== 'param') {
        fail(`routes[${i}].org.param`, `must name a :parameter of the path '${route.path}', got '${route.org.param}'`);
      }
      org = { param: route.org.param };
    } else if (route.org?.header !== undefined) {
      org = { header: route.org.header.toLowerCase() };
    }
    return Object.freeze({ method: route.method, path: route.path, permission: route.permission.toLowerCase(), ...(org ? { org } : {}) });
  });

  let realm: ExtAuthzSettings['realm'];
  if (typeof raw.realm === 'string') realm = { name: raw.realm };
  else if (raw.realm) realm = { header: raw.realm.header.toLowerCase() };
  else if (defaultRealm !== undefined) realm = { name: defaultRealm };
  else return fail('realm', 'is required when REALMGATE_DEFAULT_REALM is not set');

  return Object.freeze({
    file,
    subjectHeader: raw.subjectHeader.toLowerCase(),
    realm: Object.freeze(realm),
    defaultAction: raw.defaultAction ?? 'deny',
    routes: Object.freeze(routes),
  });
}
