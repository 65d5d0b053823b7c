import { RealmRecords } from './realmRecords';
import type { Change, MembershipRecord, Op } from './records';
import { TimeSlice } from './timeSlice';
import { TokenTable } from './tokenTable';

/** A change with more ops than this is applied aside and swapped in (see apply). */
const LARGE_CHANGE = 2000;

/**
 * What a sidecar holds in memory: the records of every realm it serves, which checks decide on
 * (see decide). Casbin's rules are not held: nothing in a sidecar reads them, and they would cost
 * more memory than the records; they are stored in the database, where the tests hold decisions
 * equal to Casbin's on them. It changes only through `apply`, with changes that the database has
 * already committed, strictly in revision order.
 */
export class PolicyState {
  private realmMap = new Map<string, RealmRecords>();
  private appliedRevision = 0;
  private tokenTable = new TokenTable();

  /** `served`: the realms to hold; changes to any other realm only move the revision on */
  constructor(
    readonly served?: ReadonlySet<string>,
    /** a change with more ops than this is applied aside and swapped in (see apply) */
    private readonly largeChange = LARGE_CHANGE,
  ) {}

  serves(realm: string): boolean {
    return this.served === undefined || this.served.has(realm);
  }

  /** every realm's tokens, whatever realms are served: a token is verified on any sidecar */
  get tokens(): TokenTable {
    return this.tokenTable;
  }

  /** Sets the tokens of a state loaded whole from the database. */
  loadTokens(tokens: TokenTable): void {
    this.tokenTable = tokens;
  }

  get realms(): Map<string, RealmRecords> {
    return this.realmMap;
  }

  /**
   * Takes over a state loaded whole from the database, in one synchronous step: a check sees
   * either the old state or the new one, never a mixture.
   */
  replaceWith(fresh: PolicyState): void {
    this.realmMap = fresh.realmMap;
    this.tokenTable = fresh.tokenTable;
    this.appliedRevision = fresh.appliedRevision;
  }

  get revision(): number {
    return this.appliedRevision;
  }

  /** Sets the revision of a state loaded whole from the database. */
  loadedAt(revision: number): void {
    this.appliedRevision = revision;
  }

  realm(name: string): RealmRecords | undefined {
    return this.realmMap.get(name);
  }

  /**
   * Applies one committed change, so that a check sees it whole or not at all: records, tokens and
   * revision move in one synchronous step. A small change is applied to the records in place, op
   * by op, without pausing. A large one (a sync, a big batch) is applied to copies of the realms it
   * touches, in slices between which checks go on against the old records; the copies are then
   * put in place with one assignment.
   */
  async apply(change: Change): Promise<void> {
    if (change.revision !== this.appliedRevision + 1) {
      throw new Error(`change ${change.revision} applied out of order at revision ${this.appliedRevision}`);
    }
    const ops = this.served === undefined ? change.ops : change.ops.filter((op) => this.serves(op.realm));
    this.expectRealms({ ...change, ops });
    if (ops.length > this.largeChange) {
      const realms = await this.appliedAside(ops, change.revision);
      if (change.revision !== this.appliedRevision + 1) throw new Error(`change ${change.revision} was overtaken while applied aside`);
      this.realmMap = realms;
    } else {
      for (const op of ops) this.applyOp(this.realmMap, op, change.revision);
    }
    for (const op of change.ops) this.tokenTable.apply(op);
    this.appliedRevision = change.revision;
  }

  /** The realms as they will be after these ops: the ones touched are copies, the rest shared. */
  private async appliedAside(ops: Op[], revision: number): Promise<Map<string, RealmRecords>> {
    const slice = new TimeSlice();
    const realms = new Map(this.realmMap);
    const own = new Set<RealmRecords>();
    for (const op of ops) {
      const realm = realms.get(op.realm);
      if (realm !== undefined && !own.has(realm) && op.type !== 'realm.upserted' && op.type !== 'realm.deleted') {
        const copy = await realm.copy(slice);
        own.add(copy);
        realms.set(op.realm, copy);
      }
      this.applyOp(realms, op, revision);
      if (slice.due()) await slice.pause();
    }
    return realms;
  }

  /**
   * The one way applying an op can fail is naming a realm memory does not hold; that is checked for
   * the whole change first, so a change that cannot be applied changes nothing.
   */
  private expectRealms(change: Change): void {
    const present = new Set<string>();
    const absent = new Set<string>();
    for (const op of change.ops) {
      const known = present.has(op.realm) || (!absent.has(op.realm) && this.realmMap.has(op.realm));
      if (op.type === 'realm.upserted') {
        present.add(op.realm);
        absent.delete(op.realm);
      } else if (!known) {
        throw new Error(`change ${change.revision} names unknown realm ${op.realm}`);
      } else if (op.type === 'realm.deleted') {
        absent.add(op.realm);
        present.delete(op.realm);
      }
    }
  }

  private applyOp(realms: Map<string, RealmRecords>, op: Op, revision: number): void {
    if (op.type === 'realm.upserted') {
      if (!realms.has(op.realm)) realms.set(op.realm, new RealmRecords());
      return;
    }
    const realm = realms.get(op.realm);
    if (!realm) throw new Error(`change ${revision} names unknown realm ${op.realm}`);
    switch (op.type) {
      case 'realm.deleted':
        realms.delete(op.realm);
        return;
      case 'org.upserted':
        realm.orgs.add(op.org);
        return;
      case 'org.deleted':
        for (const m of realm.membershipsInOrg(op.org)) realm.removeMembership(m.user, m.org);
        realm.orgs.delete(op.org);
        return;
      case 'user.upserted':
        realm.users.set(op.user, op.state);
        return;
      case 'user.deleted':
        for (const m of realm.membershipsOfUser(op.user)) realm.removeMembership(m.user, m.org);
        realm.users.delete(op.user);
        return;
      case 'role.upserted':
        realm.roles.set(op.role, op.permissions);
        return;
      case 'role.deleted':
        realm.roles.delete(op.role);
        return;
      case 'membership.upserted': {
        const m: MembershipRecord = {
          realm: op.realm,
          user: op.user,
          org: op.org,
          roles: op.roles,
          permissions: op.permissions,
          expiresAt: op.expiresAt === null ? null : Date.parse(op.expiresAt),
          revision,
        };
        realm.putMembership(m);
        return;
      }
      case 'membership.deleted':
        realm.removeMembership(op.user, op.org);
        return;
      case 'token.created':
      case 'token.revoked':
        // the token table takes these, for every realm (see apply)
        return;
    }
  }
}
