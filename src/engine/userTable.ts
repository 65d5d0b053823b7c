import type { UserState } from './records';

/** A user's state in one small object that every membership of the user points at. */
export interface UserEntry {
  /** undefined once the user is deleted */
  state: UserState | undefined;
}

/**
 * A realm's users and their states. Besides the map, each user has one UserEntry, updated in
 * place, so that a check that found a membership reads the user's state through a pointer
 * rather than a second lookup in a large map.
 */
export class UserTable extends Map<string, UserState> {
  private readonly shared = new Map<string, UserEntry>();

  override set(name: string, state: UserState): this {
    super.set(name, state);
    // Map's constructor calls set before this class's fields exist; no user is passed there
    const entry = this.shared?.get(name);
    if (entry) entry.state = state;
    else this.shared?.set(name, { state });
    return this;
  }

  override delete(name: string): boolean {
    const entry = this.shared.get(name);
    if (entry) entry.state = undefined;
    this.shared.delete(name);
    return super.delete(name);
  }

  override clear(): void {
    for (const entry of this.shared.values()) entry.state = undefined;
    this.shared.clear();
    super.clear();
  }

  /** The user's entry, made on first use (a membership is never stored before its user, but memory does not rely on it). */
  entry(name: string): UserEntry {
    let entry = this.shared.get(name);
    if (!entry) {
      entry = { state: super.get(name) };
      this.shared.set(name, entry);
    }
    return entry;
  }
}
