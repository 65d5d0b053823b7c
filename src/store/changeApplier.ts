import type { PolicyState } from '../engine/policyState';
import type { Change } from '../engine/records';
import { readChanges } from './changeLog';
import type { Database } from './database';
import { loadState } from './loadState';

export type ChangeListener = (change: Change) => void;

const CATCH_UP_PAGE = 500;

/**
 * Brings memory forward in revision order, one change at a time, never twice. Changes committed by
 * this process arrive in hand; anything missing before them (a change another process committed,
 * or a hand-off that overtook another) is read from the change log.
 */
export class ChangeApplier {
  private queue: Promise<void> = Promise.resolve();
  private readonly listeners: ChangeListener[] = [];
  private readonly reloadListeners: (() => void)[] = [];

  constructor(
    private readonly db: Database,
    private readonly state: PolicyState,
    private readonly onError: (err: unknown) => void = (err) => console.error('realmgate:', err),
  ) {}

  onApplied(listener: ChangeListener): void {
    this.listeners.push(listener);
  }

  /** Called after memory was replaced whole, when single changes were not seen one by one. */
  onReloaded(listener: () => void): void {
    this.reloadListeners.push(listener);
  }

  /** Resolves once memory is at least at the last of these committed changes. */
  applyCommitted(changes: Change[]): Promise<void> {
    if (changes.length === 0) return Promise.resolve();
    const target = changes[changes.length - 1].revision;
    const known = new Map(changes.map((c) => [c.revision, c]));
    return this.serially(() => this.advanceTo(target, known));
  }

  private async reload(): Promise<void> {
    const fresh = await loadState(this.db);
    this.state.replaceWith(fresh);
    for (const listener of this.reloadListeners) listener();
  }

  private serially(step: () => Promise<void>): Promise<void> {
    const run = this.queue.then(step);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async advanceTo(target: number, known: Map<number, Change>): Promise<void> {
    while (this.state.revision < target) {
      const next = known.get(this.state.revision + 1);
      const batch = next
        ? [next]
        : await readChanges(this.db.prisma, { after: this.state.revision, limit: CATCH_UP_PAGE });
      if (batch.length === 0) throw new Error(`change log ends before revision ${target}`);
      for (const change of batch) {
        try {
          await this.state.apply(change);
        } catch (err) {
          // memory no longer follows the records: take the database's state whole
          this.onError(err);
          await this.reload();
          return;
        }
        for (const listener of this.listeners) listener(change);
      }
    }
  }
}
