import type { Change, Op } from '../engine/records';
import { appendChange, headRevision, lockWrites } from './changeLog';
import type { ChangeApplier } from './changeApplier';
import type { Database, Tx } from './database';
import { persistChange } from './persistOp';

/** What a use case decides inside the write transaction, after reading what it needs. */
export interface WritePlan<T> {
  /** Each inner list becomes one change with its own revision, in the realm of its ops; empty lists are dropped. */
  changes: Op[][];
  result: T;
}

/** What a plan would write, worked out in a transaction that is then rolled back. */
export interface WritePreview<T> {
  /** the head revision the plan was worked out at */
  head: number;
  changes: Op[][];
  result: T;
}

/** Thrown inside a preview's transaction so that it rolls back, whatever the plan did. */
class RollBack<T> extends Error {
  constructor(readonly preview: WritePreview<T>) {
    super('preview rolled back');
  }
}

export interface WriteOutcome<T> {
  /** the revision of the last change written, or the head revision when nothing changed */
  revision: number;
  result: T;
}

/**
 * Every write goes through here: database first (records, derived rules and change log in one
 * transaction, serialised across processes), memory second, after the commit. A plan that throws
 * rolls everything back, so nothing is half-written.
 */
export class Writer {
  constructor(
    private readonly db: Database,
    private readonly applier: ChangeApplier,
    /** told how long each write took, in seconds, and whether it committed */
    private readonly observe: (seconds: number, outcome: 'committed' | 'failed') => void = () => undefined,
  ) {}

  async write<T>(plan: (tx: Tx) => Promise<WritePlan<T>>): Promise<WriteOutcome<T>> {
    const started = performance.now();
    try {
      const outcome = await this.writeOnce(plan);
      this.observe((performance.now() - started) / 1000, 'committed');
      return outcome;
    } catch (err) {
      this.observe((performance.now() - started) / 1000, 'failed');
      throw err;
    }
  }

  private async writeOnce<T>(plan: (tx: Tx) => Promise<WritePlan<T>>): Promise<WriteOutcome<T>> {
    await this.db.assertWritable();
    const { changes, head, result } = await this.db.prisma.$transaction(
      async (tx) => {
        await lockWrites(tx);
        const head = await headRevision(tx);
        const planned = await plan(tx);
        const changes: Change[] = [];
        for (const ops of planned.changes) {
          if (ops.length === 0) continue;
          const change: Change = { revision: head + changes.length + 1, realm: ops[0].realm, ops };
          await persistChange(tx, ops, change.revision);
          await appendChange(tx, change);
          changes.push(change);
        }
        return { changes, head, result: planned.result };
      },
      { timeout: 120_000, maxWait: 30_000 },
    );
    await this.applier.applyCommitted(changes);
    return { revision: changes.length > 0 ? changes[changes.length - 1].revision : head, result };
  }

  /**
   * Runs a plan exactly as `write` would (same lock, same reads, same checks, so the same 4xx),
   * then rolls its transaction back: nothing is written and no revision is used.
   */
  async preview<T>(plan: (tx: Tx) => Promise<WritePlan<T>>): Promise<WritePreview<T>> {
    try {
      await this.db.prisma.$transaction(
        async (tx) => {
          await lockWrites(tx);
          const head = await headRevision(tx);
          const planned = await plan(tx);
          throw new RollBack({ head, changes: planned.changes.filter((ops) => ops.length > 0), result: planned.result });
        },
        { timeout: 120_000, maxWait: 30_000 },
      );
    } catch (err) {
      if (err instanceof RollBack) return err.preview as WritePreview<T>;
      throw err;
    }
    throw new Error('a preview transaction committed');
  }
}
