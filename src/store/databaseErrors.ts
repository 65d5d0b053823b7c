/**
 * Whether an error (from pg, a Prisma driver adapter or Prisma itself) says the database could not
 * be reached or the connection was lost: the operation did not complete and may be tried again.
 */
const NODE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'EPIPE']);
const SQLSTATES = new Set([
  '57P01', // admin_shutdown (pg_terminate_backend, fast shutdown)
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now: starting up, shutting down, in recovery
  '53300', // too_many_connections
]);
const PRISMA_CODES = new Set(['P1001', 'P1002', 'P1008', 'P1017', 'P2024']);
const ADAPTER_KINDS = new Set(['ConnectionClosed', 'DatabaseNotReachable', 'SocketTimeout', 'TooManyConnections', 'DatabaseDoesNotExist']);
const MESSAGES = /Connection terminated|connection (is )?closed|Client has encountered a connection error|timeout exceeded when trying to connect|server closed the connection/i;

interface Inspectable {
  code?: unknown;
  originalCode?: unknown;
  kind?: unknown;
  message?: unknown;
  cause?: unknown;
  errors?: unknown;
  meta?: { driverAdapterError?: unknown };
}

export function isConnectionLoss(err: unknown, depth = 0): boolean {
  if (!err || typeof err !== 'object' || depth > 6) return false;
  const e = err as Inspectable;
  for (const code of [e.code, e.originalCode]) {
    if (typeof code !== 'string') continue;
    if (NODE_CODES.has(code) || SQLSTATES.has(code) || PRISMA_CODES.has(code) || code.startsWith('08')) return true;
  }
  if (typeof e.kind === 'string' && ADAPTER_KINDS.has(e.kind)) return true;
  if (typeof e.message === 'string' && MESSAGES.test(e.message)) return true;
  if (Array.isArray(e.errors) && e.errors.some((x) => isConnectionLoss(x, depth + 1))) return true;
  return isConnectionLoss(e.meta?.driverAdapterError, depth + 1) || isConnectionLoss(e.cause, depth + 1);
}

/** A write refused up front because the data folder's file system is nearly full. */
export class StorageFullError extends Error {
  constructor(
    readonly freeBytes: number,
    readonly reserveBytes: number,
  ) {
    super(`only ${freeBytes} bytes are free where the data folder is, under the ${reserveBytes} kept in reserve`);
    this.name = 'StorageFullError';
  }
}

/** Whether an error says the database ran out of disk space (SQLSTATE 53100) while writing. */
export function isDiskFull(err: unknown, depth = 0): boolean {
  if (!err || typeof err !== 'object' || depth > 6) return false;
  const e = err as Inspectable;
  if (e.code === '53100' || e.originalCode === '53100' || e.code === 'ENOSPC') return true;
  if (typeof e.message === 'string' && /No space left on device/.test(e.message)) return true;
  return isDiskFull(e.meta?.driverAdapterError, depth + 1) || isDiskFull(e.cause, depth + 1);
}

/**
 * Whether Prisma's query compiler (WebAssembly) ran out of stack while compiling a query. Seen now
 * and then under load; the query never reached the database (inside a transaction, the
 * transaction is rolled back), and the same request succeeds when sent again.
 */
export function isQueryCompilerOverflow(err: unknown): boolean {
  if (!err || typeof err !== 'object') return false;
  const e = err as { name?: unknown; message?: unknown };
  return (e.name === 'PrismaClientUnknownRequestError' || e.name === 'RangeError') && typeof e.message === 'string' && /Maximum call stack size exceeded/.test(e.message);
}
