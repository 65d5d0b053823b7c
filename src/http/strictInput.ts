import type { RequestHandler } from 'express';
import { AppError } from '../errors';
import { contractShape } from './contractPaths';

const PLAIN_NAME = /^[A-Za-z][A-Za-z0-9_]*$/;
const DECIMAL_INTEGER = /^-?(0|[1-9][0-9]*)$/;

/**
 * Query values are plain strings, each given once. A bracketed name (`org[x]=`, `org[__proto__]=`)
 * or a repeated one (`?org=a&org=b`) would otherwise reach a route as an object or an array, and a
 * number is a plain decimal integer: Ajv's coercion would take `0x10`, `1e3`, ` 5` or `+5`.
 */
export function strictQuery(): RequestHandler {
  const { numericQuery } = contractShape();
  return (req, _res, next) => {
    const at = req.url.indexOf('?');
    if (at < 0) return next();
    const seen = new Set<string>();
    for (const [name, value] of new URLSearchParams(req.url.slice(at + 1))) {
      const field = name.split('[')[0] || name;
      if (!PLAIN_NAME.test(name)) {
        return next(new AppError(400, 'invalid_request', `query parameter '${name}' is not a plain name: values are strings, not objects`, field));
      }
      if (seen.has(name)) return next(new AppError(400, 'invalid_request', `${name} must be given once`, name));
      seen.add(name);
      if (numericQuery.has(name) && !DECIMAL_INTEGER.test(value)) {
        return next(new AppError(400, 'invalid_request', `${name} must be a plain decimal integer`, name));
      }
    }
    next();
  };
}

/**
 * OPTIONS on a known path answers 204 with `Allow` (the methods openapi.yaml lists for it); a known
 * path with another method is a 405 with `Allow`. HEAD is served as GET: Node's response already
 * knows it answers a HEAD and sends no body. Unknown paths go on to their 404.
 */
export function allowedMethods(): RequestHandler {
  const { paths } = contractShape();
  // most requests (checks above all) are for a path without parameters: one map lookup
  const literal = new Map(paths.filter((p) => p.literal !== undefined).map((p) => [p.literal as string, p]));
  const templated = paths.filter((p) => p.literal === undefined);
  return (req, res, next) => {
    const known = literal.get(req.path) ?? templated.find((p) => p.pattern.test(req.path));
    if (!known) return next();
    if (known.allow.includes(req.method) && req.method !== 'OPTIONS') {
      if (req.method === 'HEAD') req.method = 'GET';
      return next();
    }
    const allow = known.allow.join(', ');
    res.set('Allow', allow);
    if (req.method === 'OPTIONS') {
      res.status(204).end();
      return;
    }
    next(new AppError(405, 'method_not_allowed', `${req.method} is not allowed on ${req.path}; allowed: ${allow}`));
  };
}

/** A Content-Length over the limit is refused before a byte of the body is read. */
export function declaredLengthLimit(maxBodyBytes: number): RequestHandler {
  return (req, res, next) => {
    const declared = req.headers['content-length'];
    if (declared !== undefined && Number(declared) > maxBodyBytes) {
      // the unread body would otherwise be taken as the next request on this connection
      res.set('Connection', 'close');
      return next(new AppError(413, 'payload_too_large', `request body of ${declared} bytes is larger than the ${maxBodyBytes} allowed`));
    }
    next();
  };
}

/** body-parser turns a JSON request with no bytes into `{}`; a write must say what it writes. */
export function rejectEmptyJson(_req: unknown, _res: unknown, body: Buffer): void {
  if (body.length === 0) {
    throw Object.assign(new Error('the request body is empty; send a JSON document'), { status: 400, type: 'entity.empty' });
  }
}
