import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Request, RequestHandler } from 'express';
import { pinoHttp } from 'pino-http';
import type { Logger } from '../logger';
import { CONSOLE_PREFIX, isConsoleUrl } from './consolePath';
import { EXT_AUTHZ_PREFIX, isExtAuthzUrl } from './extAuthzPath';
import type { Metrics } from './metrics';

const REQUEST_ID = /^[A-Za-z0-9._:+/=-]{1,128}$/;

/** The caller's X-Request-Id when it is short and plain; otherwise a new UUID. */
export function requestIdFor(header: string | string[] | undefined): string {
  return typeof header === 'string' && REQUEST_ID.test(header) ? header : randomUUID();
}

/** A decision: POST /v1/check or /v1/check/batch, or an Envoy ext_authz call (any method). */
function isCheck(req: IncomingMessage): boolean {
  const url = req.url ?? '';
  return (req.method === 'POST' && (url === '/v1/check' || url === '/v1/check/batch')) || isExtAuthzUrl(url);
}

function isProbe(req: IncomingMessage): boolean {
  return req.url === '/healthz' || req.url === '/readyz' || req.url === '/metrics';
}

/** The route's template (`/v1/realms/:realm`), never the URL; `unmatched` when no route took the request. */
export function routeOf(req: Request): string {
  if (req.route?.path) return `${req.baseUrl}${String(req.route.path)}`;
  // the rest of an ext_authz path is the proxied request's, one label for all of them
  if (isExtAuthzUrl(req.originalUrl)) return `${EXT_AUTHZ_PREFIX}/*`;
  // the console's files and views, one label for all of them
  if (isConsoleUrl(req.originalUrl)) return `${CONSOLE_PREFIX}/*`;
  const openapi = (req as { openapi?: { expressRoute?: string } }).openapi;
  return openapi?.expressRoute ?? 'unmatched';
}

/** Set on a request whose id, metrics and logging are already taken care of (the check hot path). */
const OBSERVED = Symbol('observed');

/**
 * Gives a request its id (the caller's X-Request-Id, if plain, or a new one), echoes it, and marks
 * the request as observed, so that requestObservation leaves it alone.
 */
export function identify(req: IncomingMessage, res: ServerResponse): string {
  const id = requestIdFor(req.headers['x-request-id']);
  (req as { id?: string }).id = id;
  (req as { [OBSERVED]?: true })[OBSERVED] = true;
  res.setHeader('X-Request-Id', id);
  return id;
}

/**
 * The access line of a check that skipped pino-http (log level above debug): written only for a
 * 5xx, at warn, in the shape pino-http gives the others.
 */
export function logUnavailableCheck(logger: Logger, req: IncomingMessage, res: ServerResponse): void {
  if (res.statusCode < 500) return;
  logger.warn({ reqId: (req as { id?: string }).id, req: { method: req.method, url: req.url }, res: { statusCode: res.statusCode } }, 'request completed');
}

/**
 * The access log's level: 5xx at warn (the status says what went wrong; an internal error is logged
 * at error, once, with its real error, by the error handler), management requests at info,
 * checks (ext_authz calls too) and probes at debug.
 */
export function accessLevel(req: IncomingMessage, res: ServerResponse): 'warn' | 'info' | 'debug' {
  if (res.statusCode >= 500) return 'warn';
  return isCheck(req) || isProbe(req) ? 'debug' : 'info';
}

/**
 * Request ids, access logs and request counts. Every request gets an X-Request-Id (the caller's, if
 * plain, or a new one), echoed in the response and carried by every log line of the request
 * (`req.log`). Management requests are logged at info, checks and probes at debug, 5xx answers
 * at warn (a check's too, while checks are not logged). pino-http would add a made-up `err` ("failed with status code 503", with a stack) to
 * every 5xx line; the access log carries none, since a real internal error is logged by the error
 * handler with its own. While debug is off, checks skip the per-request child logger altogether.
 */
export function requestObservation(logger: Logger, metrics: Metrics): RequestHandler {
  const access = pinoHttp({
    logger,
    quietReqLogger: true,
    genReqId: (req: IncomingMessage, res: ServerResponse) => {
      const id = requestIdFor(req.headers['x-request-id']);
      res.setHeader('X-Request-Id', id);
      return id;
    },
    customLogLevel: (req, res) => accessLevel(req, res),
    customErrorMessage: () => 'request completed',
    customErrorObject: (_req, _res, _err, value: Record<string, unknown>) => ({ res: value.res, responseTime: value.responseTime }),
    serializers: {
      req: (req: { method: string; url: string; remoteAddress?: string }) => ({ method: req.method, url: req.url, remoteAddress: req.remoteAddress }),
      res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
    },
  });
  const checksLogged = logger.isLevelEnabled('debug');
  return (req, res, next) => {
    if ((req as { [OBSERVED]?: true })[OBSERVED]) return next();
    if (!checksLogged && isCheck(req)) {
      res.once('finish', () => {
        metrics.countRequest(routeOf(req), req.method, res.statusCode);
        logUnavailableCheck(logger, req, res);
      });
      identify(req, res);
      next();
      return;
    }
    res.once('finish', () => metrics.countRequest(routeOf(req), req.method, res.statusCode));
    access(req, res, next);
  };
}
