import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Request, RequestHandler } from 'express';
import { pinoHttp } from 'pino-http';
import type { Logger } from '../logger';
import type { Metrics } from './metrics';

const REQUEST_ID = /^[A-Za-z0-9._:+/=-]{1,128}$/;

/** The caller's X-Request-Id when it is short and plain; otherwise a new UUID. */
export function requestIdFor(header: string | string[] | undefined): string {
  return typeof header === 'string' && REQUEST_ID.test(header) ? header : randomUUID();
}

function isCheck(req: IncomingMessage): boolean {
  return req.method === 'POST' && (req.url === '/v1/check' || req.url === '/v1/check/batch');
}

function isProbe(req: IncomingMessage): boolean {
  return req.url === '/healthz' || req.url === '/readyz' || req.url === '/metrics';
}

/** The route's template (`/v1/realms/:realm`), never the URL; `unmatched` when no route took the request. */
export function routeOf(req: Request): string {
  if (req.route?.path) return `${req.baseUrl}${String(req.route.path)}`;
  const openapi = (req as { openapi?: { expressRoute?: string } }).openapi;
  return openapi?.expressRoute ?? 'unmatched';
}

/**
 * Request ids, access logs and request counts. Every request gets an X-Request-Id (the caller's, if
 * plain, or a new one), echoed in the response and carried by every log line of the request
 * (`req.log`). Management requests are logged at info, checks and probes at debug, failures at
 * error. While debug is off, checks skip the per-request child logger altogether.
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
    customLogLevel: (req, res, err) => {
      if (err || res.statusCode >= 500) return 'error';
      return isCheck(req) || isProbe(req) ? 'debug' : 'info';
    },
    serializers: {
      req: (req: { method: string; url: string; remoteAddress?: string }) => ({ method: req.method, url: req.url, remoteAddress: req.remoteAddress }),
      res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
    },
  });
  const checksLogged = logger.isLevelEnabled('debug');
  return (req, res, next) => {
    res.once('finish', () => metrics.countRequest(routeOf(req), req.method, res.statusCode));
    if (!checksLogged && isCheck(req)) {
      const id = requestIdFor(req.headers['x-request-id']);
      (req as { id?: string }).id = id;
      res.setHeader('X-Request-Id', id);
      next();
      return;
    }
    access(req, res, next);
  };
}
