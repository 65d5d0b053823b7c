/** Codes realmgate answers with that mean "nothing happened, the same request may succeed later". */
const RETRYABLE_CODES = new Set(['not_ready', 'write_unavailable', 'stale', 'network_error', 'timeout']);

export interface RealmgateErrorInit {
  status: number;
  code: string;
  message: string;
  field?: string;
  /** with `stale`, the revision the sidecar stands at; with `precondition_failed`, the record's */
  revision?: number;
  /** seconds, from a Retry-After header */
  retryAfterSeconds?: number;
  cause?: unknown;
}

/**
 * Every failure of a call: an error answer from realmgate (`status` is its HTTP status, `code` its
 * error code), or no answer at all (`status` 0: `network_error`, `timeout`, `aborted`).
 */
export class RealmgateError extends Error {
  readonly status: number;
  readonly code: string;
  readonly field?: string;
  readonly revision?: number;
  readonly retryAfterSeconds?: number;
  /** whether the same request may succeed if sent again */
  readonly retryable: boolean;

  constructor(init: RealmgateErrorInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = 'RealmgateError';
    this.status = init.status;
    this.code = init.code;
    this.field = init.field;
    this.revision = init.revision;
    this.retryAfterSeconds = init.retryAfterSeconds;
    this.retryable = RETRYABLE_CODES.has(init.code);
  }
}

export function isRealmgateError(err: unknown): err is RealmgateError {
  return err instanceof RealmgateError;
}

/** Reads Retry-After (delta seconds or an HTTP date); undefined when absent or unreadable. */
export function retryAfterSeconds(header: string | null, now = Date.now()): number | undefined {
  if (header === null || header.trim() === '') return undefined;
  if (/^\d+$/.test(header.trim())) return Number(header.trim());
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, (at - now) / 1000);
}

interface ErrorBody {
  error?: { code?: unknown; message?: unknown; field?: unknown; revision?: unknown };
}

/** The error realmgate answered with, or one describing an answer that was not its error shape. */
export function errorFromResponse(response: Response, body: unknown): RealmgateError {
  const e = (body as ErrorBody | undefined)?.error;
  const code = typeof e?.code === 'string' ? e.code : `http_${response.status}`;
  const message = typeof e?.message === 'string' ? e.message : `realmgate answered ${response.status} ${response.statusText}`.trim();
  return new RealmgateError({
    status: response.status,
    code,
    message,
    field: typeof e?.field === 'string' ? e.field : undefined,
    revision: typeof e?.revision === 'number' ? e.revision : undefined,
    retryAfterSeconds: retryAfterSeconds(response.headers.get('retry-after')),
  });
}

/** A failure before any answer: the call timed out, was aborted by the caller, or never connected. */
export function errorFromFailure(err: unknown, timedOut: boolean, callerAborted: boolean): RealmgateError {
  if (err instanceof RealmgateError) return err;
  if (callerAborted) return new RealmgateError({ status: 0, code: 'aborted', message: 'the call was aborted', cause: err });
  if (timedOut) return new RealmgateError({ status: 0, code: 'timeout', message: 'realmgate did not answer in time', cause: err });
  // the innermost cause says what happened (`connect ECONNREFUSED ...`); the outer ones say `fetch failed`
  // (duck-typed: an error made in another realm, a vm context, is no `instanceof Error` here)
  let inner: unknown = err;
  while (typeof (inner as { cause?: unknown } | null)?.cause === 'object' && (inner as { cause: unknown }).cause !== null) inner = (inner as { cause: unknown }).cause;
  const message = (inner as { message?: unknown } | null)?.message;
  const detail = typeof message === 'string' && message !== '' ? message : String(err);
  return new RealmgateError({ status: 0, code: 'network_error', message: `realmgate could not be reached: ${detail}`, cause: err });
}
