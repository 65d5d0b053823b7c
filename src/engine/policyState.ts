import type { Enforcer } from 'casbin';
import { RealmRecords } from './realmRecords';
import type { Change, MembershipRecord, Op, RoleRecord } from './records';
import { RuleDelta } from './ruleDelta';
import { rulesForRole } from './rules';
import { TimeSlice } from './timeSlice';
import { TokenTable } from './tokenTable';

/** A change with more ops than this is applied aside and swapped in (see apply). */
const LARGE_CHANGE = 2000;

/**
 * What a sidecar holds in memory: the records of every realm it serves and the Casbin enforcer
 * with the rules derived from them. It changes only through `apply`, with changes that the
 * database has already committed, strictly in revision order.
 */
export class PolicyState {
  private realmMap = new Map<string, RealmRecords>();
  private appliedRevision = 0;
  private tokenTable = new TokenTable();

  /** `served`: the realms to hold; changes to any other realm only move the revision on */
  constructor(
    private currentEnforcer: Enforcer,
    readonly served?: ReadonlySet<string>,
    /** a change with more ops than this is applied aside and swapped in (see apply) */
    private readonly largeChange = LARGE_CHANGE,
  ) {}

  serves(realm: string): boolean {
    return this.served === undefined || this.served.has(realm);
  }

  get enforcer(): Enforcer {
    return this.currentEnforcer;
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
    this.currentEnforcer = fresh.currentEnforcer;
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
   * put in place with one assignment. Casbin's rules follow after that, also in slices: checks
   * never read them.
   */
  async apply(change: Change): Promise<void> {
    if (change.revision !== this.appliedRevision + 1) {
      throw new Error(`change ${change.revision} applied out of order at revision ${this.appliedRevision}`);
    }
    const ops = this.served === undefined ? change.ops : change.ops.filter((op) => this.serves(op.realm));
    this.expectRealms({ ...change, ops });
    const delta = new RuleDelta();
    const slice = new TimeSlice();
    if (ops.length > this.largeChange) {
      const realms = await this.appliedAside(ops, change.revision, delta, slice);
      if (change.revision !== this.appliedRevision + 1) throw new Error(`change ${change.revision} was overtaken while applied aside`);
      this.realmMap = realms;
    } else {
      for (const op of ops) this.applyOp(this.realmMap, op, change.revision, delta);
    }
    for (const op of change.ops) this.tokenTable.apply(op);
    this.appliedRevision = change.revision;
    await delta.applyTo(this.currentEnforcer, slice);
  }

  /** The realms as they will be after these ops: the ones touched are copies, the rest shared. */
  private async appliedAside(ops: Op[], revision: number, delta: RuleDelta, slice: TimeSlice): Promise<Map<string, RealmRecords>> {
    const realms = new Map(this.realmMap);
    const own = new Set<RealmRecords>();
    for (const op of ops) {
      const realm = realms.get(op.realm);
      if (realm !== undefined && !own.has(realm) && op.type !== 'realm.upserted' && op.type !== 'realm.deleted') {
        const copy = await realm.copy(slice);
        own.add(copy);
        realms.set(op.realm, copy);
      }
      this.applyOp(realms, op, revision, delta);
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

  private applyOp(realms: Map<string, RealmRecords>, op: Op, revision: number, delta: RuleDelta): void {
    if (op.type === 'realm.upserted') {
      if (!realms.has(op.realm)) realms.set(op.realm, new RealmRecords());
      return;
    }
    const realm = realms.get(op.realm);
    if (!realm) throw new Error(`change ${revision} names unknown realm ${op.realm}`);
    switch (op.type) {
      case 'realm.deleted': {
        for (const m of realm.allMemberships()) delta.removeMembership(m);
        for (const [name, permissions] of realm.roles) {
          delta.remove({ p: rulesForRole({ realm: op.realm, name, permissions }), g: [] });
        }
        realms.delete(op.realm);
        return;
      }
      case 'org.upserted':
        realm.orgs.add(op.org);
        return;
      case 'org.deleted':
        for (const m of realm.membershipsInOrg(op.org)) this.dropMembership(realm, m, delta);
        realm.orgs.delete(op.org);
        return;
      case 'user.upserted':
        realm.users.set(op.user, op.state);
        return;
      case 'user.deleted':
        for (const m of realm.membershipsOfUser(op.user)) this.dropMembership(realm, m, delta);
        realm.users.delete(op.user);
        return;
      case 'role.upserted': {
        const old = realm.roles.get(op.role);
        if (old) delta.remove({ p: rulesForRole({ realm: op.realm, name: op.role, permissions: old }), g: [] });
        const role: RoleRecord = { realm: op.realm, name: op.role, permissions: op.permissions };
        delta.add({ p: rulesForRole(role), g: [] });
        realm.roles.set(op.role, op.permissions);
        return;
      }
      case 'role.deleted': {
        const old = realm.roles.get(op.role);
        if (old) delta.remove({ p: rulesForRole({ realm: op.realm, name: op.role, permissions: old }), g: [] });
        realm.roles.delete(op.role);
        return;
      }
      case 'membership.upserted': {
        const old = realm.membership(op.user, op.org);
        if (old) this.dropMembership(realm, old, delta);
        const m: MembershipRecord = {
          realm: op.realm,
          user: op.user,
          org: op.org,
          roles: op.roles,
          permissions: op.permissions,
          expiresAt: op.expiresAt === null ? null : Date.parse(op.expiresAt),
          revision,
        };
        delta.addMembership(m);
        realm.putMembership(m);
        return;
      }
      case 'membership.deleted': {
        const old = realm.membership(op.user, op.org);
        if (old) this.dropMembership(realm, old, delta);
        return;
      }
      case 'token.created':
      case 'token.revoked':
        // the token table takes these, for every realm (see apply)
        return;
    }
  }

  private dropMembership(realm: RealmRecords, m: MembershipRecord, delta: RuleDelta): void {
    delta.removeMembership(m);
    realm.removeMembership(m.user, m.org);
  }
}
