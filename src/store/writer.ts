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
}
