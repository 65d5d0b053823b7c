import { AppError } from '../errors';

/** An If-Match precondition: `*` (the record must exist) or the revision the record must be at. */
export type Precondition = '*' | number;

/** `"12"`, `12`, `W/"12"` or `*`; anything else was refused by the contract's pattern already. */
export function parseIfMatch(header: string | undefined): Precondition | undefined {
  if (header === undefined) return undefined;
  const value = header.trim();
  if (value === '*') return '*';
  return Number(value.replace(/^(W\/)?"?|"$/g, ''));
}

/**
 * Optimistic concurrency: checked inside the write transaction, after the write lock, so that
 * two writers holding the same revision cannot both pass. 412 with the current revision otherwise.
 */
export function requirePrecondition(existing: { revision: bigint } | null, expected: Precondition | undefined, what: string): void {
  if (expected === undefined) return;
  if (existing === null) {
    throw new AppError(412, 'precondition_failed', `If-Match: ${what} does not exist`, 'If-Match');
  }
  const current = Number(existing.revision);
  if (expected !== '*' && expected !== current) {
    throw new AppError(412, 'precondition_failed', `If-Match: ${what} is at revision ${current}, not ${expected}`, 'If-Match', { revision: current });
  }
}
