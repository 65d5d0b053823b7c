import type { UserState } from '../engine/records';
import { notFound } from '../errors';
import type { Writer } from '../store/writer';
import { requireRealm } from './guards';
import { removedMemberships } from './membershipInput';

export interface PutUserResult {
  revision: number;
  created: boolean;
  user: string;
  state: UserState;
}

/**
 * Creates a user (active unless told otherwise) or sets its state. Disabling keeps every
 * membership; checks deny with user_disabled until the user is enabled again.
 */
export async function putUser(
  deps: { writer: Writer },
  realm: string,
  user: string,
  state: UserState | undefined,
): Promise<PutUserResult> {
  const { revision, result } = await deps.writer.write(async (tx) => {
    await requireRealm(tx, realm);
    const existing = await tx.user.findUnique({ where: { realm_name: { realm, name: user } } });
    const wanted: UserState = state ?? (existing?.state as UserState | undefined) ?? 'active';
    const unchanged = existing !== null && existing.state === wanted;
    return {
      changes: unchanged ? [] : [[{ type: 'user.upserted', realm, user, state: wanted, previous: (existing?.state as UserState | undefined) ?? null }]],
      result: { created: !existing, state: wanted },
    };
  });
  return { revision, user, ...result };
}

/** Deletes a user and all of the user's memberships in the realm. */
export async function deleteUser(deps: { writer: Writer }, realm: string, user: string): Promise<{ revision: number }> {
  const { revision } = await deps.writer.write(async (tx) => {
    await requireRealm(tx, realm);
    const existing = await tx.user.findUnique({ where: { realm_name: { realm, name: user } } });
    if (!existing) throw notFound('user', user);
    const memberships = await removedMemberships(tx, { realm, user });
    return { changes: [[{ type: 'user.deleted', realm, user, state: existing.state as UserState, memberships }]], result: null };
  });
  return { revision };
}
