import type { Enforcer } from 'casbin';
import { RealmRecords } from './realmRecords';
import type { Change, MembershipRecord, Op, RoleRecord } from './records';
import { rulesForMembership, rulesForRole, type DerivedRules, type Rule } from './rules';

/**
 * What a sidecar holds in memory: the records of every realm it serves and the Casbin enforcer
 * with the rules derived from them. It changes only through `apply`, with changes that the
 * database has already committed, strictly in revision order.
 */
export class PolicyState {
  private realmMap = new Map<string, RealmRecords>();
  private appliedRevision = 0;

  constructor(private currentEnforcer: Enforcer) {}

  get enforcer(): Enforcer {
    return this.currentEnforcer;
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

  async apply(change: Change): Promise<void> {
    if (change.revision !== this.appliedRevision + 1) {
      throw new Error(`change ${change.revision} applied out of order at revision ${this.appliedRevision}`);
    }
    for (const op of change.ops) await this.applyOp(op, change.revision);
    this.appliedRevision = change.revision;
  }

  /** Changes that belong to no served realm still advance the revision. */
  skip(revision: number): void {
    if (revision !== this.appliedRevision + 1) {
      throw new Error(`change ${revision} skipped out of order at revision ${this.appliedRevision}`);
    }
    this.appliedRevision = revision;
  }

  private async applyOp(op: Op, revision: number): Promise<void> {
    if (op.type === 'realm.upserted') {
      if (!this.realmMap.has(op.realm)) this.realmMap.set(op.realm, new RealmRecords());
      return;
    }
    const realm = this.realmMap.get(op.realm);
    if (!realm) throw new Error(`change ${revision} names unknown realm ${op.realm}`);
    switch (op.type) {
      case 'realm.deleted': {
        for (const m of realm.allMemberships()) await this.removeRules(rulesForMembership(m));
        for (const [name, permissions] of realm.roles) {
          await this.removeRules({ p: rulesForRole({ realm: op.realm, name, permissions }), g: [] });
        }
        this.realmMap.delete(op.realm);
        return;
      }
      case 'org.upserted':
        realm.orgs.add(op.org);
        return;
      case 'org.deleted':
        for (const m of realm.membershipsInOrg(op.org)) await this.dropMembership(realm, m);
        realm.orgs.delete(op.org);
        return;
      case 'user.upserted':
        realm.users.set(op.user, op.state);
        return;
      case 'user.deleted':
        for (const m of realm.membershipsOfUser(op.user)) await this.dropMembership(realm, m);
        realm.users.delete(op.user);
        return;
      case 'role.upserted': {
        const old = realm.roles.get(op.role);
        if (old) await this.removeRules({ p: rulesForRole({ realm: op.realm, name: op.role, permissions: old }), g: [] });
        const role: RoleRecord = { realm: op.realm, name: op.role, permissions: op.permissions };
        await this.addRules({ p: rulesForRole(role), g: [] });
        realm.roles.set(op.role, op.permissions);
        return;
      }
      case 'role.deleted': {
        const old = realm.roles.get(op.role);
        if (old) await this.removeRules({ p: rulesForRole({ realm: op.realm, name: op.role, permissions: old }), g: [] });
        realm.roles.delete(op.role);
        return;
      }
      case 'membership.upserted': {
        const old = realm.membership(op.user, op.org);
        if (old) await this.dropMembership(realm, old);
        const m: MembershipRecord = {
          realm: op.realm,
          user: op.user,
          org: op.org,
          roles: op.roles,
          permissions: op.permissions,
          expiresAt: op.expiresAt === null ? null : Date.parse(op.expiresAt),
          revision,
        };
        await this.addRules(rulesForMembership(m));
        realm.putMembership(m);
        return;
      }
      case 'membership.deleted': {
        const old = realm.membership(op.user, op.org);
        if (old) await this.dropMembership(realm, old);
        return;
      }
    }
  }

  private async dropMembership(realm: RealmRecords, m: MembershipRecord): Promise<void> {
    await this.removeRules(rulesForMembership(m));
    realm.removeMembership(m.user, m.org);
  }

  private async addRules(rules: DerivedRules): Promise<void> {
    if (rules.p.length > 0) expectApplied(await this.enforcer.addPolicies(rules.p), 'add', rules.p);
    if (rules.g.length > 0) expectApplied(await this.enforcer.addGroupingPolicies(rules.g), 'add', rules.g);
  }

  private async removeRules(rules: DerivedRules): Promise<void> {
    if (rules.p.length > 0) expectApplied(await this.enforcer.removePolicies(rules.p), 'remove', rules.p);
    if (rules.g.length > 0) expectApplied(await this.enforcer.removeGroupingPolicies(rules.g), 'remove', rules.g);
  }
}

/** Records and rules are derived from each other; a rule Casbin refuses means they disagree. */
function expectApplied(ok: boolean, action: string, rules: Rule[]): void {
  if (!ok) throw new Error(`in-memory policy diverged: could not ${action} ${JSON.stringify(rules[0])} (+${rules.length - 1})`);
}
