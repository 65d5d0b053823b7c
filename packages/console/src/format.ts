/** "in 2h 05m", "in 42s", "expired": how long until an instant, for an expiry countdown. */
export function countdown(until: string, now: number): string {
  const ms = Date.parse(until) - now;
  if (ms <= 0) return 'expired';
  const s = Math.floor(ms / 1000);
  const d = Math.floor(s / 86400);
  const h = Math.floor((s % 86400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  if (d > 0) return `in ${d}d ${h}h`;
  if (h > 0) return `in ${h}h ${String(m).padStart(2, '0')}m`;
  if (m > 0) return `in ${m}m ${String(sec).padStart(2, '0')}s`;
  return `in ${sec}s`;
}

/** An error's message for people: realmgate's own words when it answered. */
export function describeError(err: unknown): string {
  const e = err as { code?: string; message?: string; status?: number };
  if (e && typeof e.message === 'string') return e.code && e.status ? `${e.message} (${e.status} ${e.code})` : e.message;
  return String(err);
}

const REASONS: Record<string, string> = {
  granted: 'granted',
  unknown_realm: 'the realm does not exist',
  unknown_user: 'the user does not exist',
  user_disabled: 'the user is disabled',
  unknown_org: 'the org does not exist',
  no_membership: 'the user has no membership here',
  expired: 'the membership has expired',
  no_grant: 'no grant of the membership matches the permission',
};

export const reasonText = (reason: string): string => REASONS[reason] ?? reason;
