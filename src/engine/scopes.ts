/**
 * The scopes of a realm token, each including the ones before it: `check` asks single questions,
 * `read` lists stored and derived data (which answers any check), `write` changes records (a write
 * answers what it found, so it cannot be kept from reading), `admin` also manages the realm's
 * tokens and webhooks. The admin token (REALMGATE_ADMIN_TOKEN) is above all of them, in every realm.
 */
export const SCOPES = ['check', 'read', 'write', 'admin'] as const;
export type Scope = (typeof SCOPES)[number];

export function isScope(value: string): value is Scope {
  return (SCOPES as readonly string[]).includes(value);
}

/** The rank of the widest scope held; -1 for none. */
export function scopeRank(scopes: readonly string[]): number {
  let rank = -1;
  for (const scope of scopes) rank = Math.max(rank, SCOPES.indexOf(scope as Scope));
  return rank;
}

/** Whether scopes held include the one needed. */
export function scopeAllows(rank: number, needed: Scope): boolean {
  return rank >= SCOPES.indexOf(needed);
}
