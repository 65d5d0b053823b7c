import { PolicyOp, type Enforcer } from 'casbin';
import type { DerivedRules, Rule } from './rules';

const key = (rule: readonly string[]): string => rule.join('\u0000');

/**
 * The net effect of one change on Casbin's rules, applied to the enforcer in one pass. Casbin's own
 * addPolicies/removePolicies scan every rule for every rule they touch (quadratic for a large
 * sync); here each section is filtered once and appended once, and role links are updated
 * incrementally. A rule removed and added again in the same change is left as it is.
 */
export class RuleDelta {
  private readonly p = new Map<string, { rule: Rule; net: number }>();
  private readonly g = new Map<string, { rule: Rule; net: number }>();

  add(rules: DerivedRules): void {
    for (const r of rules.p) this.count(this.p, r, 1);
    for (const r of rules.g) this.count(this.g, r, 1);
  }

  remove(rules: DerivedRules): void {
    for (const r of rules.p) this.count(this.p, r, -1);
    for (const r of rules.g) this.count(this.g, r, -1);
  }

  private count(section: Map<string, { rule: Rule; net: number }>, rule: Rule, by: number): void {
    const k = key(rule);
    const entry = section.get(k);
    if (entry) entry.net += by;
    else section.set(k, { rule, net: by });
  }

  /** Throws when a rule to remove is not there: memory and records disagree. */
  async applyTo(enforcer: Enforcer): Promise<void> {
    this.applySection(enforcer, 'p', this.p);
    const links = this.applySection(enforcer, 'g', this.g);
    if (links.removed.length > 0) await enforcer.buildIncrementalRoleLinks(PolicyOp.PolicyRemove, 'g', links.removed);
    if (links.added.length > 0) await enforcer.buildIncrementalRoleLinks(PolicyOp.PolicyAdd, 'g', links.added);
  }

  private applySection(
    enforcer: Enforcer,
    sec: 'p' | 'g',
    section: Map<string, { rule: Rule; net: number }>,
  ): { added: Rule[]; removed: Rule[] } {
    const added: Rule[] = [];
    const removing = new Set<string>();
    for (const [k, { rule, net }] of section) {
      if (net > 0) added.push(rule);
      else if (net < 0) removing.add(k);
    }
    if (added.length === 0 && removing.size === 0) return { added, removed: [] };
    const ast = enforcer.getModel().model.get(sec)?.get(sec);
    if (!ast) throw new Error(`the model has no ${sec} section`);
    const removed: Rule[] = [];
    if (removing.size > 0) {
      ast.policy = ast.policy.filter((rule) => {
        if (!removing.has(key(rule))) return true;
        removed.push(rule as Rule);
        return false;
      });
      if (removed.length !== removing.size) {
        throw new Error(`in-memory policy diverged: ${removing.size - removed.length} ${sec} rule(s) to remove were not there`);
      }
    }
    for (const rule of added) ast.policy.push(rule);
    return { added, removed };
  }
}
