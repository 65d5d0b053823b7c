import { PolicyOp, type Enforcer } from 'casbin';
import type { MembershipRecord } from './records';
import { rulesForMembership, type DerivedRules, type Rule } from './rules';
import { TimeSlice } from './timeSlice';

const key = (rule: readonly string[]): string => rule.join('\u0000');

/** Role links handed to Casbin's role manager at a time, between pauses. */
const LINKS_PER_STEP = 500;

/**
 * The net effect of one change on Casbin's rules, applied to the enforcer in one pass. Casbin's own
 * addPolicies/removePolicies scan every rule for every rule they touch (quadratic for a large
 * sync); here each section is filtered once and appended once, and role links are updated
 * incrementally. A rule removed and added again in the same change is left as it is.
 *
 * Memberships are noted as they come and turned into rules only in applyTo, after the change is
 * visible to checks (checks read the records, never the enforcer), in slices that let requests in.
 */
export class RuleDelta {
  private readonly p = new Map<string, { rule: Rule; net: number }>();
  private readonly g = new Map<string, { rule: Rule; net: number }>();
  private readonly memberships: { m: MembershipRecord; by: 1 | -1 }[] = [];

  add(rules: DerivedRules): void {
    for (const r of rules.p) this.count(this.p, r, 1);
    for (const r of rules.g) this.count(this.g, r, 1);
  }

  remove(rules: DerivedRules): void {
    for (const r of rules.p) this.count(this.p, r, -1);
    for (const r of rules.g) this.count(this.g, r, -1);
  }

  /** The rules of this membership come, in this order among the other notes. */
  addMembership(m: MembershipRecord): void {
    this.memberships.push({ m, by: 1 });
  }

  /** The rules of this membership go. */
  removeMembership(m: MembershipRecord): void {
    this.memberships.push({ m, by: -1 });
  }

  private count(section: Map<string, { rule: Rule; net: number }>, rule: Rule, by: number): void {
    const k = key(rule);
    const entry = section.get(k);
    if (entry) entry.net += by;
    else section.set(k, { rule, net: by });
  }

  /** Throws when a rule to remove is not there: memory and records disagree. */
  async applyTo(enforcer: Enforcer, slice = new TimeSlice()): Promise<void> {
    for (const { m, by } of this.memberships) {
      const rules = rulesForMembership(m);
      for (const r of rules.p) this.count(this.p, r, by);
      for (const r of rules.g) this.count(this.g, r, by);
      if (slice.due()) await slice.pause();
    }
    this.memberships.length = 0;
    await this.applySection(enforcer, 'p', this.p, slice);
    const links = await this.applySection(enforcer, 'g', this.g, slice);
    for (let i = 0; i < links.removed.length; i += LINKS_PER_STEP) {
      await enforcer.buildIncrementalRoleLinks(PolicyOp.PolicyRemove, 'g', links.removed.slice(i, i + LINKS_PER_STEP));
      await slice.checkpoint();
    }
    for (let i = 0; i < links.added.length; i += LINKS_PER_STEP) {
      await enforcer.buildIncrementalRoleLinks(PolicyOp.PolicyAdd, 'g', links.added.slice(i, i + LINKS_PER_STEP));
      await slice.checkpoint();
    }
  }

  /** The section's new rule list is built aside and put in place at the end, in one assignment. */
  private async applySection(
    enforcer: Enforcer,
    sec: 'p' | 'g',
    section: Map<string, { rule: Rule; net: number }>,
    slice: TimeSlice,
  ): Promise<{ added: Rule[]; removed: Rule[] }> {
    const added: Rule[] = [];
    const removing = new Set<string>();
    for (const [k, { rule, net }] of section) {
      if (net > 0) added.push(rule);
      else if (net < 0) removing.add(k);
      if (slice.due()) await slice.pause();
    }
    if (added.length === 0 && removing.size === 0) return { added, removed: [] };
    const ast = enforcer.getModel().model.get(sec)?.get(sec);
    if (!ast) throw new Error(`the model has no ${sec} section`);
    const removed: Rule[] = [];
    if (removing.size > 0) {
      const kept: string[][] = [];
      for (const rule of ast.policy) {
        if (removing.has(key(rule))) removed.push(rule as Rule);
        else kept.push(rule);
        if (slice.due()) await slice.pause();
      }
      if (removed.length !== removing.size) {
        throw new Error(`in-memory policy diverged: ${removing.size - removed.length} ${sec} rule(s) to remove were not there`);
      }
      ast.policy = kept;
    }
    for (const rule of added) ast.policy.push(rule);
    return { added, removed };
  }
}
