import type { ErrorRequestHandler, Request } from 'express';
import { AppError } from '../errors';
import { isConnectionLoss, isDiskFull, isQueryCompilerOverflow, StorageFullError } from '../store/databaseErrors';

interface ErrorBody {
  error: { code: string; message: string; field?: string; [detail: string]: unknown };
}

/** express-openapi-validator's errors: status plus a list of { path, message }. */
interface ValidatorError {
  status: number;
  message: string;
  errors?: { path?: string; message?: string; errorCode?: string }[];
}

const CODES: Record<number, string> = {
  400: 'invalid_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
};

/** Codes for which the same request, sent again later, can succeed: the body says `retryable: true`. */
export const RETRYABLE: ReadonlySet<string> = new Set(['write_unavailable', 'database_unavailable', 'not_ready', 'stale']);

/** "/body/checks/3/permission" -> "checks[3].permission"; "/query/org" -> "org". */
export function fieldFromPath(path: string | undefined): string | undefined {
  if (!path) return undefined;
  const parts = path.replace(/^\.?\/?/, '').split(/[/.]/).filter(Boolean);
  // anything else is the request's URL (e.g. a malformed percent-encoding), not an input field
  if (!['body', 'query', 'params', 'headers', 'path'].includes(parts[0])) return undefined;
  parts.shift();
  return parts.reduce((acc, p) => (/^\d+$/.test(p) ? `${acc}[${p}]` : acc ? `${acc}.${p}` : p), '') || undefined;
}

/** A request that sent no body at all, where one is required, is a 400 rather than a 415. */
function sentNoBody(req: Request): boolean {
  return req.headers['content-type'] === undefined && !req.headers['transfer-encoding'] && !(Number(req.headers['content-length']) > 0);
}

export function toResponse(err: unknown, req: Request): { status: number; body: ErrorBody } {
  if (err instanceof AppError) {
    return {
      status: err.status,
      body: { error: { code: err.code, message: err.message, ...(err.field ? { field: err.field } : {}), ...err.details } },
    };
  }
  const e = err as { type?: string; status?: number; message?: string };
  if (e?.type === 'entity.parse.failed') {
    return { status: 400, body: { error: { code: 'malformed_json', message: 'request body is not valid JSON' } } };
  }
  if (e?.type === 'entity.empty') {
    return { status: 400, body: { error: { code: 'invalid_request', message: e.message ?? 'the request body is empty' } } };
  }
  if (e?.type === 'entity.too.large') {
    return { status: 413, body: { error: { code: 'payload_too_large', message: 'request body is larger than allowed' } } };
  }
  if (e?.type === 'encoding.unsupported' || e?.type === 'charset.unsupported') {
    return { status: 415, body: { error: { code: 'unsupported_media_type', message: e.message ?? 'unsupported encoding' } } };
  }
  const prismaCode = (err as { code?: unknown })?.code;
  if (prismaCode === 'P2028' || prismaCode === 'P2034') {
    // the write transaction timed out or lost a conflict; nothing was committed
    return { status: 503, body: { error: { code: 'write_unavailable', message: 'the write could not complete in time; nothing was written, retry' } } };
  }
  if (err instanceof StorageFullError || isDiskFull(err)) {
    return { status: 503, body: { error: { code: 'write_unavailable', message: 'the data folder is nearly full; nothing was written, retry once space is freed' } } };
  }
  if (isConnectionLoss(err)) {
    return req.method === 'GET' || req.method === 'HEAD'
      ? { status: 503, body: { error: { code: 'database_unavailable', message: 'the database connection was lost; retry' } } }
      : { status: 503, body: { error: { code: 'write_unavailable', message: 'the database connection was lost; the write was not acknowledged, retry' } } };
  }
  if (isQueryCompilerOverflow(err)) {
    return req.method === 'GET' || req.method === 'HEAD'
      ? { status: 503, body: { error: { code: 'database_unavailable', message: 'the database client failed on this query (stack exhausted); retry' } } }
      : { status: 503, body: { error: { code: 'write_unavailable', message: 'the database client failed on this query (stack exhausted); nothing was written, retry' } } };
  }
  const status = typeof e?.status === 'number' ? e.status : 500;
  if (status === 415 && sentNoBody(req)) {
    return { status: 400, body: { error: { code: 'invalid_request', message: 'a JSON request body is required' } } };
  }
  if (status >= 400 && status < 500) {
    const v = err as ValidatorError;
    const first = v.errors?.[0];
    // for auth and routing errors the validator's path is the route, not an input field
    const field = status === 400 || status === 413 ? fieldFromPath(first?.path) : undefined;
    const detail = first?.message ?? v.message ?? 'invalid request';
    const message = field && !detail.startsWith(field) ? `${field} ${detail}` : detail;
    return { status, body: { error: { code: CODES[status] ?? 'invalid_request', message, ...(field ? { field } : {}) } } };
  }
  return { status: 500, body: { error: { code: 'internal', message: 'internal error' } } };
}

/** The one place where errors become HTTP responses: JSON, never a stack trace (toResponse also words the error event that ends an event stream). */
export function errorHandler(onInternal: (err: unknown, req: Request) => void): ErrorRequestHandler {
  return (err, req, res, _next) => {
    const { status, body } = toResponse(err, req);
    if (RETRYABLE.has(body.error.code)) body.error.retryable = true;
    if (status === 500) onInternal(err, req);
    if (status === 401) res.set('WWW-Authenticate', 'Bearer');
    res.status(status).json(body);
  };
}
