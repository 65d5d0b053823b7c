import type { IncomingHttpHeaders } from 'node:http';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { AppError } from '../errors';
import type { ExtAuthzSettings } from '../extAuthz/settings';
import { EXT_AUTHZ_PREFIX, isExtAuthzUrl } from '../http/extAuthzPath';
import { ready, type Lifecycle } from '../http/lifecycle';
import type { Metrics } from '../http/metrics';
import { requestAuthorizer, type ProxiedRequest } from '../services/authorizeRequest';


function headerOf(headers: IncomingHttpHeaders): (name: string) => string | undefined {
  return (name) => {
    const value = headers[name];
    return Array.isArray(value) ? value.join(', ') : value;
  };
}

/** `/ext-authz/orgs/eng/orders?x=1` -> `/orgs/eng/orders` */
function originalPath(url: string): string {
  const query = url.indexOf('?');
  const path = (query < 0 ? url : url.slice(0, query)).slice(EXT_AUTHZ_PREFIX.length);
  return path === '' ? '/' : path;
}

function send(res: Response, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.statusCode = status;
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Content-Length', Buffer.byteLength(text));
  res.end(text);
}

/**
 * Envoy's HTTP ext_authz service: Envoy sends the original method and headers to
 * `/ext-authz` + the original path. 200 with x-realmgate-* headers lets the request through; 401
 * or 403 with a JSON reason stops it. Mounted ahead of the body parser and the OpenAPI validator:
 * it reads no body, and its path is the proxied request's, not one of realmgate's own.
 */
export function extAuthzRoutes(lifecycle: Lifecycle, metrics: Metrics, settings: ExtAuthzSettings | undefined): RequestHandler {
  const authorize = settings ? requestAuthorizer(settings) : undefined;
  const answer = (req: Request, res: Response) => {
    if (!authorize) throw new AppError(404, 'not_found', 'external authorization is off: set REALMGATE_EXT_AUTHZ_CONFIG');
    const deps = ready(lifecycle);
    const request: ProxiedRequest = { method: req.method, path: originalPath(req.originalUrl), header: headerOf(req.headers) };
    const verdict = authorize(deps, request);
    metrics.countDecision(verdict.allowed ? 'granted' : verdict.reason);
    if (verdict.allowed) {
      for (const [name, value] of Object.entries(verdict.headers)) res.setHeader(name, value);
      // Envoy strips these from the request it forwards, so a client cannot supply them itself
      if (verdict.remove.length > 0) res.setHeader('x-envoy-auth-headers-to-remove', verdict.remove.join(','));
      send(res, 200, { allowed: true, reason: verdict.reason, revision: verdict.revision });
    } else {
      send(res, verdict.status, { allowed: false, reason: verdict.reason, revision: verdict.revision });
    }
  };
  // a prefix test rather than a router pattern: the rest of the path is the proxied request's
  return (req: Request, res: Response, next: NextFunction) => (isExtAuthzUrl(req.originalUrl) ? answer(req, res) : next());
}
