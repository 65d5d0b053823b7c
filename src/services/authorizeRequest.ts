import type { DenyReason } from '../engine/decide';
import { MalformedPath, RouteTable } from '../extAuthz/routeTable';
import type { ExtAuthzSettings, Source } from '../extAuthz/settings';
import { checkAccess } from './checkAccess';
import type { ServiceDeps } from './deps';

/** What a proxy asks about: the original request's method, path (no query) and headers. */
export interface ProxiedRequest {
  readonly method: string;
  readonly path: string;
  /** a header's value by lower-case name, undefined when absent */
  header(name: string): string | undefined;
}

export type ExtAuthzDenyReason = DenyReason | 'no_route' | 'missing_subject' | 'missing_org' | 'missing_realm' | 'malformed_path';

/** Every header realmgate sets for the upstream; those an answer does not set are removed. */
export const UPSTREAM_HEADERS = [
  'x-realmgate-subject',
  'x-realmgate-realm',
  'x-realmgate-org',
  'x-realmgate-permission',
  'x-realmgate-revision',
  'x-realmgate-reason',
] as const;

export type UpstreamHeader = (typeof UPSTREAM_HEADERS)[number];

export type Verdict =
  | {
      readonly allowed: true;
      readonly reason: 'granted' | 'no_route';
      readonly revision: number;
      /** for the upstream, in place of anything the client sent under these names */
      readonly headers: Partial<Record<UpstreamHeader, string>>;
      /** the x-realmgate-* headers this answer does not set, to strip from the client's request */
      readonly remove: readonly UpstreamHeader[];
    }
  | {
      readonly allowed: false;
      /** 401 when no verified subject came with the request, 403 otherwise */
      readonly status: 401 | 403;
      readonly reason: ExtAuthzDenyReason;
      readonly revision: number;
    };

type Deps = Pick<ServiceDeps, 'state' | 'config' | 'now'>;

/** The route table compiled once, and a function answering a proxy's question from memory. */
export function requestAuthorizer(settings: ExtAuthzSettings): (deps: Deps, request: ProxiedRequest) => Verdict {
  const table = new RouteTable(settings.routes);
  return (deps, request) => authorizeRequest(deps, settings, table, request);
}

function allow(revision: number, reason: 'granted' | 'no_route', headers: Partial<Record<UpstreamHeader, string>>): Verdict {
  headers['x-realmgate-reason'] = reason;
  headers['x-realmgate-revision'] = String(revision);
  return { allowed: true, reason, revision, headers, remove: UPSTREAM_HEADERS.filter((name) => headers[name] === undefined) };
}

const deny = (revision: number, reason: ExtAuthzDenyReason, status: 401 | 403 = 403): Verdict => ({ allowed: false, status, reason, revision });

/**
 * May the request a proxy holds go on? Its route names the permission and where the org comes
 * from; the subject is the verified one the proxy put in a header; the decision is a check like
 * POST /v1/check, answered from memory.
 */
export function authorizeRequest(deps: Deps, settings: ExtAuthzSettings, table: RouteTable, request: ProxiedRequest): Verdict {
  const revision = deps.state.revision;
  const subject = nonEmpty(request.header(settings.subjectHeader));
  let found;
  try {
    found = table.find(request.method.toUpperCase(), request.path);
  } catch (err) {
    if (err instanceof MalformedPath) return deny(revision, 'malformed_path');
    throw err;
  }
  if (!found) {
    if (settings.defaultAction === 'deny') return deny(revision, 'no_route');
    return allow(revision, 'no_route', subject === undefined ? {} : { 'x-realmgate-subject': subject });
  }
  if (subject === undefined) return deny(revision, 'missing_subject', 401);
  const realm = 'name' in settings.realm ? settings.realm.name : nonEmpty(request.header(settings.realm.header));
  if (realm === undefined) return deny(revision, 'missing_realm');
  let org: string | null = null;
  if (found.route.org) {
    const value = valueFrom(found.route.org, found.params, request);
    if (value === undefined) return deny(revision, 'missing_org');
    org = value;
  }
  const permission = found.route.permission;
  const result = checkAccess(deps, { realm, subject, org, permission });
  if (!result.allowed) return deny(result.revision, result.reason);
  const headers: Partial<Record<UpstreamHeader, string>> = {
    'x-realmgate-subject': subject,
    'x-realmgate-realm': realm,
    'x-realmgate-permission': permission,
  };
  if (org !== null) headers['x-realmgate-org'] = org;
  return allow(result.revision, 'granted', headers);
}

function valueFrom(source: Source, params: Readonly<Record<string, string>>, request: ProxiedRequest): string | undefined {
  return 'param' in source ? nonEmpty(params[source.param]) : nonEmpty(request.header(source.header));
}

function nonEmpty(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}
