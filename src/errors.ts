/**
 * An error meant for the client. Everything else that escapes a request is a 500 with no detail;
 * src/http/errorHandler.ts is the one place where errors become responses.
 */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field?: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export const invalid = (field: string, message: string): AppError =>
  new AppError(400, 'invalid_request', `${field} ${message}`, field);

export const notFound = (what: string, name: string): AppError =>
  new AppError(404, `${what}_not_found`, `${what} '${name}' does not exist`);
