import type { Change, Op } from '../engine/records';
import type { Tx } from './database';
import { recordKey as keyInRealm, runKind } from './opRuns';
import { persistMembershipOps, type MembershipOp } from './persistMemberships';
import { persistOrgs, persistUsers, type OrgUpserted, type UserUpserted } from './persistSubjects';

/** Ops that may wait in a group and be stored with others: memberships and the users and orgs they create. */
export function deferrable(ops: readonly Op[]): boolean {
  return ops.every((op) => runKind(op) !== null);
}

const recordKey = (op: Op): string => `${runKind(op)}\u0000${op.realm}\u0000${keyInRealm(op)}`;

interface RealmBatch {
  users: UserUpserted[];
  orgs: OrgUpserted[];
  memberships: MembershipOp[];
  revisions: number[];
}

/**
 * Changes of a group's membership writes, waiting to be stored together: per realm one statement
 * for the users, one for the orgs and one for the memberships, however many writes there were.
 * The writer stores them before anything reads the records again, and before the group commits.
 * Each record appears at most once among them, so the order of the statements does not matter.
 */
export class DeferredMembershipWrites {
  private readonly byRealm = new Map<string, RealmBatch>();
  private readonly held = new Set<string>();

  /** Whether one of these ops names a record already waiting. */
  holdsAnyOf(ops: readonly Op[]): boolean {
    return ops.some((op) => this.held.has(recordKey(op)));
  }

  add(change: Change): void {
    if (!deferrable(change.ops)) throw new Error(`change ${change.revision} cannot wait to be stored`);
    if (this.holdsAnyOf(change.ops)) throw new Error(`change ${change.revision} names a record already waiting to be stored`);
    for (const op of change.ops) {
      this.held.add(recordKey(op));
      let batch = this.byRealm.get(op.realm);
      if (!batch) {
        batch = { users: [], orgs: [], memberships: [], revisions: [] };
        this.byRealm.set(op.realm, batch);
      }
      if (op.type === 'user.upserted') batch.users.push(op);
      else if (op.type === 'org.upserted') batch.orgs.push(op);
      else if (op.type === 'membership.upserted' || op.type === 'membership.deleted') {
        batch.memberships.push(op);
        batch.revisions.push(change.revision);
      }
    }
  }

  async flush(tx: Tx): Promise<void> {
    if (this.byRealm.size === 0) return;
    const batches = [...this.byRealm];
    this.byRealm.clear();
    this.held.clear();
    for (const [realm, batch] of batches) {
      await persistUsers(tx, realm, batch.users);
      await persistOrgs(tx, realm, batch.orgs);
      await persistMembershipOps(tx, realm, batch.memberships, batch.revisions);
    }
  }
}
