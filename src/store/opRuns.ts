import type { Op } from '../engine/records';

/**
 * The kind of set-based run an op can join (ops of one kind, in one realm, each naming a different
 * record), or null for an op stored on its own.
 */
export function runKind(op: Op): 'membership' | 'user' | 'org' | null {
  if (op.type === 'membership.upserted' || op.type === 'membership.deleted') return 'membership';
  if (op.type === 'user.upserted') return 'user';
  if (op.type === 'org.upserted') return 'org';
  return null;
}

/** The record an op of a run names, within its realm and kind. */
export function recordKey(op: Op): string {
  if (op.type === 'membership.upserted' || op.type === 'membership.deleted') return `${op.user}\u0000${op.org ?? ''}`;
  if (op.type === 'user.upserted') return op.user;
  if (op.type === 'org.upserted') return op.org;
  return '';
}
