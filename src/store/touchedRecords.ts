import type { Op } from '../engine/records';
import type { SlotKey } from './readMembershipSlot';

/** Ops beyond which a change is not noted op by op. */
const LARGE_CHANGE = 64;

const realmKey = (realm: string) => `r\u0000${realm}`;
const userKey = (realm: string, user: string) => `u\u0000${realm}\u0000${user}`;
const orgKey = (realm: string, org: string) => `o\u0000${realm}\u0000${org}`;
const membershipKey = (realm: string, user: string, org: string | null) => `m\u0000${realm}\u0000${user}\u0000${org ?? ''}`;

/**
 * The records that the ops planned so far in a group changed, to tell whether a membership slot
 * read before them still holds. A slot reads the realm, its roles, one user, one org and one
 * membership; an op that deletes a realm, user or org also removes the memberships under it,
 * which its own key covers. A large change (a sync, a batch) counts as touching everything: the
 * writes after it read their slots again rather than have its every op noted.
 */
export class TouchedRecords {
  private readonly keys = new Set<string>();
  private everything = false;

  note(ops: readonly Op[]): void {
    if (this.everything) return;
    if (ops.length > LARGE_CHANGE) {
      this.everything = true;
      return;
    }
    for (const op of ops) {
      switch (op.type) {
        case 'realm.upserted':
        case 'realm.deleted':
        case 'role.upserted':
        case 'role.deleted':
          this.keys.add(realmKey(op.realm));
          break;
        case 'user.upserted':
        case 'user.deleted':
          this.keys.add(userKey(op.realm, op.user));
          break;
        case 'org.upserted':
        case 'org.deleted':
          this.keys.add(orgKey(op.realm, op.org));
          break;
        case 'membership.upserted':
        case 'membership.deleted':
          this.keys.add(membershipKey(op.realm, op.user, op.org));
          break;
        case 'token.created':
        case 'token.revoked':
          break;
      }
    }
  }

  /** Whether anything noted may have changed what this slot read. */
  affects(slot: SlotKey): boolean {
    return (
      this.everything ||
      this.keys.has(realmKey(slot.realm)) ||
      this.keys.has(userKey(slot.realm, slot.user)) ||
      (slot.org !== null && this.keys.has(orgKey(slot.realm, slot.org))) ||
      this.keys.has(membershipKey(slot.realm, slot.user, slot.org))
    );
  }
}
