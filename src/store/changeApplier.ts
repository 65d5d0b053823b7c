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
 * or a hand-off that overtook another) is read from the change log. When the log no longer holds
 * the next change (it was compacted), or memory no longer follows the records, the state is loaded
 * whole while checks go on against the old one, then swapped in one step: it only moves forward.
 *
 * While this process commits changes, a catch-up that reaches them stops there: the writer applies
 * them in hand right after, then the catch-up goes on. The notification of a commit often arrives
 * before the writer's own answer does, and would otherwise have every write read back from the
 * log (a sync's change is megabytes) what memory is about to be given anyway.
 */
export class ChangeApplier {
  private queue: Promise<void> = Promise.resolve();
  private readonly listeners: ChangeListener[] = [];
  private readonly reloadListeners: (() => void)[] = [];
  private readonly advanceListeners: ((revision: number) => void)[] = [];
  /** the first revision this process is committing now, if it is */
  private committingFrom: number | undefined;
  private catchUpHeld = false;

  constructor(
    private readonly db: Database,
    private readonly state: PolicyState,
    private readonly onError: (err: unknown) => void,
  ) {}

  onApplied(listener: ChangeListener): void {
    this.listeners.push(listener);
  }

  /** Called after memory was replaced whole, when single changes were not seen one by one. */
  onReloaded(listener: () => void): void {
    this.reloadListeners.push(listener);
  }

  /** Called whenever the revision of memory moves forward, one change or a whole reload. */
  onAdvanced(listener: (revision: number) => void): void {
    this.advanceListeners.push(listener);
  }

  /** Resolves once memory is at least at the last of these committed changes. */
  applyCommitted(changes: Change[]): Promise<void> {
    if (changes.length === 0) return Promise.resolve();
    const target = changes[changes.length - 1].revision;
    const known = new Map(changes.map((c) => [c.revision, c]));
    return this.serially(() => this.advanceTo(target, known));
  }

  /** Reads and applies whatever the log holds beyond memory's revision. */
  catchUp(): Promise<void> {
    return this.serially(() => this.advanceTo(Number.POSITIVE_INFINITY, new Map()));
  }

  /** The writer is committing changes from this revision on: a catch-up stops short of them. */
  committing(firstRevision: number): void {
    this.committingFrom = firstRevision;
  }

  /**
   * The commit is over: its changes were handed to applyCommitted, or it failed. A catch-up that
   * stopped short of them runs now, after them.
   */
  committed(): void {
    this.committingFrom = undefined;
    if (this.catchUpHeld) {
      this.catchUpHeld = false;
      this.catchUp().catch((err: unknown) => this.onError(err));
    }
  }

  private async reload(): Promise<void> {
    const fresh = await loadState(this.db, this.state.served && [...this.state.served]);
    // a state loaded from an older snapshot than memory would take decisions back in time
    if (fresh.revision < this.state.revision) return;
    this.state.replaceWith(fresh);
    for (const listener of this.reloadListeners) listener();
    this.advanced();
  }

  private advanced(): void {
    for (const listener of this.advanceListeners) listener(this.state.revision);
  }

  private serially(step: () => Promise<void>): Promise<void> {
    const run = this.queue.then(step);
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** Whether this revision is one this process is committing now; if so, the catch-up waits for it. */
  private heldBack(revision: number): boolean {
    if (this.committingFrom === undefined || revision < this.committingFrom) return false;
    this.catchUpHeld = true;
    return true;
  }

  private async advanceTo(target: number, known: Map<number, Change>): Promise<void> {
    while (this.state.revision < target) {
      const next = known.get(this.state.revision + 1);
      if (!next && this.heldBack(this.state.revision + 1)) return;
      const batch = next
        ? [next]
        : await readChanges(this.db.prisma, { after: this.state.revision, served: this.state.served, limit: CATCH_UP_PAGE });
      if (batch.length === 0) {
        if (Number.isFinite(target)) throw new Error(`change log ends before revision ${target}`);
        return;
      }
      if (batch[0].revision !== this.state.revision + 1) {
        // the changes in between were compacted away: only a whole load can bridge the gap
        const before = this.state.revision;
        await this.reload();
        if (this.state.revision === before) throw new Error(`change log skips from ${before} to ${batch[0].revision}`);
        continue;
      }
      for (const change of batch) {
        if (!known.has(change.revision) && this.heldBack(change.revision)) return;
        try {
          await this.state.apply(change);
        } catch (err) {
          // memory no longer follows the records: take the database's state whole
          this.onError(err);
          await this.reload();
          return;
        }
        for (const listener of this.listeners) listener(change);
        this.advanced();
      }
    }
  }
}
