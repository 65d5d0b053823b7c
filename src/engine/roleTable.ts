import { GrantSet } from './grantSet';

/**
 * A realm's roles by name, each tag list kept as written and compiled into a GrantSet as it is
 * set: a role's grants are compiled once per write, not once per check.
 */
export class RoleTable extends Map<string, string[]> {
  private readonly compiled = new Map<string, GrantSet>();

  override set(name: string, permissions: string[]): this {
    super.set(name, permissions);
    // Map's constructor calls set before this class's fields exist; no role is passed there
    this.compiled?.set(name, GrantSet.of(permissions));
    return this;
  }

  override delete(name: string): boolean {
    this.compiled.delete(name);
    return super.delete(name);
  }

  override clear(): void {
    this.compiled.clear();
    super.clear();
  }

  /** Puts every role of this table into another, compiled tags shared (they never change). */
  copyInto(other: RoleTable): void {
    for (const [name, permissions] of this) {
      Map.prototype.set.call(other, name, permissions);
      other.compiled.set(name, this.compiled.get(name) as GrantSet);
    }
  }

  grants(name: string): GrantSet | undefined {
    return this.compiled.get(name);
  }
}
