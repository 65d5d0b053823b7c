import type { Change, Op } from '../engine/records';
import { appendChanges, headRevision, lockWrites } from './changeLog';
import type { ChangeApplier } from './changeApplier';
import { isConnectionLoss, isDiskFull, StorageFullError } from './databaseErrors';
import type { Database, Tx } from './database';
import { DeferredMembershipWrites, deferrable } from './deferredMembershipWrites';
import { persistChange } from './persistOp';
import { readMembershipSlots, type MembershipSlot, type SlotKey } from './readMembershipSlot';
import { TouchedRecords } from './touchedRecords';

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
 * A write's reads and decisions. A write that names the one membership it is about (see `write`)
 * may be handed that membership's slot, read for the whole group at once; it must then read
 * nothing through `tx`, where the writes before it in the group may not be stored yet.
 */
type Plan<T> = (tx: Tx, slot?: MembershipSlot) => Promise<WritePlan<T>>;

/** A write waiting for its group, and then what became of it inside the group's transaction. */
interface Queued {
  plan: Plan<unknown>;
  slotKey?: SlotKey;
  started: number;
  resolve: (outcome: WriteOutcome<unknown>) => void;
  reject: (err: unknown) => void;
  outcome?: { ok: true; changes: Change[]; value: WriteOutcome<unknown> } | { ok: false; error: unknown };
}

/** Set once a group's statements all ran: a failure after it is the commit's, whose outcome is unknown. */
class CommitFailed extends Error {
  constructor(readonly reason: unknown) {
    super('commit failed');
  }
}

/** How many writes at most share one transaction. */
const MAX_GROUP = 64;

/**
 * Every write goes through here: database first (records, derived rules and change log in one
 * transaction, serialised across processes), memory second, after the commit. A plan that throws
 * rolls its write back, so nothing is half-written.
 *
 * Group commit: the writes that arrive while a transaction is running wait, and then share the
 * next one. Each still runs its own plan, against what the writes before it in the group left,
 * and gets its own change and revision; the group takes the fleet's write lock, reads the head
 * and commits once. A plan that refuses (throws) drops only its own write. When a statement
 * fails, the group is rolled back and each of its writes is run again alone, so a write's outcome
 * never depends on the others it happened to share a transaction with; when the database is gone
 * or full, they all fail at once instead. Nothing is acknowledged before the commit.
 *
 * Single-membership writes, the most frequent, take fewer round trips in a group: the slots of all
 * of them are read in one statement at its start, and their changes are stored together (a few
 * set-based statements) just before anything reads the records again and before the commit. A
 * write whose slot a write before it in the group may have changed reads its own afresh, after
 * what waits is stored, so every plan still sees what the writes before it left.
 */
export class Writer {
  private readonly queue: Queued[] = [];
  private running = false;

  constructor(
    private readonly db: Database,
    private readonly applier: ChangeApplier,
    /** told how long each write took, in seconds, and whether it committed */
    private readonly observe: (seconds: number, outcome: 'committed' | 'failed') => void = () => undefined,
  ) {}

  /** `slotKey`: the one membership the write is about, whose slot its plan then takes (see Plan). */
  write<T>(plan: Plan<T>, slotKey?: SlotKey): Promise<WriteOutcome<T>> {
    return new Promise<WriteOutcome<T>>((resolve, reject) => {
      this.queue.push({
        plan: plan as Plan<unknown>,
        slotKey,
        started: performance.now(),
        resolve: resolve as (outcome: WriteOutcome<unknown>) => void,
        reject,
      });
      this.drain();
    });
  }

  private drain(): void {
    if (this.running || this.queue.length === 0) return;
    this.running = true;
    const group = this.queue.splice(0, MAX_GROUP);
    this.commit(group)
      // commit settles every write itself; should it ever throw, none of them is left waiting
      .catch((err: unknown) => group.forEach((write) => write.reject(err)))
      .finally(() => {
        this.running = false;
        this.drain();
      });
  }

  /** Runs a group to the end: every write in it is resolved or rejected when this returns. */
  private async commit(group: Queued[]): Promise<void> {
    try {
      await this.db.assertWritable();
      await this.runGroup(group);
    } catch (err) {
      this.applier.committed();
      const reason = err instanceof CommitFailed ? err.reason : err;
      const alone = group.length > 1 && !(err instanceof CommitFailed) && !unavailable(reason);
      if (alone) {
        for (const write of group) await this.commit([write]);
        return;
      }
      for (const write of group) write.outcome = { ok: false, error: reason };
    }
    const committed: Change[] = [];
    for (const write of group) if (write.outcome?.ok) committed.push(...write.outcome.changes);
    try {
      const applying = this.applier.applyCommitted(committed);
      this.applier.committed();
      await applying;
    } catch (err) {
      for (const write of group) if (write.outcome?.ok) write.outcome = { ok: false, error: err };
    }
    for (const write of group) this.settle(write);
  }

  private async runGroup(group: Queued[]): Promise<void> {
    let statementsDone = false;
    try {
      await this.db.prisma.$transaction(
        async (tx) => {
          await lockWrites(tx);
          let head = await headRevision(tx);
          const slots = await this.readSlots(tx, group);
          const touched = new TouchedRecords();
          const waiting = new DeferredMembershipWrites();
          let refused = false;
          const appended: Change[] = [];
          for (const write of group) {
            const read = slots.get(write);
            const slot = read !== undefined && write.slotKey !== undefined && !touched.affects(write.slotKey) ? read : undefined;
            // a plan that reads the records reads them with everything before it stored
            if (slot === undefined) await waiting.flush(tx);
            let planned: WritePlan<unknown>;
            try {
              planned = await write.plan(tx, slot);
            } catch (error) {
              write.outcome = { ok: false, error };
              refused = true;
              continue;
            }
            const at = head;
            const changes: Change[] = [];
            for (const ops of planned.changes) {
              if (ops.length === 0) continue;
              const change: Change = { revision: head + 1, realm: ops[0].realm, ops };
              touched.note(ops);
              if (slot !== undefined && deferrable(ops)) {
                if (waiting.holdsAnyOf(ops)) await waiting.flush(tx);
                waiting.add(change);
              } else {
                await waiting.flush(tx);
                await persistChange(tx, ops, change.revision);
              }
              changes.push(change);
              head = change.revision;
            }
            write.outcome = { ok: true, changes, value: { revision: changes.length > 0 ? head : at, result: planned.result } };
            appended.push(...changes);
          }
          await waiting.flush(tx);
          // plans read records, never the log: it is written once, for the whole group
          await appendChanges(tx, appended);
          // A plan may have refused after a statement of its own failed, which leaves the
          // transaction aborted; PostgreSQL would then answer the COMMIT with a silent rollback.
          if (refused && group.length > 1) await tx.$queryRaw`SELECT 1 AS alive`;
          // from here the changes may be committed: memory takes them in hand, not from the log
          if (appended.length > 0) this.applier.committing(appended[0].revision);
          statementsDone = true;
        },
        { timeout: 120_000, maxWait: 30_000 },
      );
    } catch (err) {
      for (const write of group) delete write.outcome;
      throw statementsDone ? new CommitFailed(err) : err;
    }
  }

  /** The slots of the group's single-membership writes, read in one statement. */
  private async readSlots(tx: Tx, group: Queued[]): Promise<Map<Queued, MembershipSlot>> {
    const named = group.filter((write): write is Queued & { slotKey: SlotKey } => write.slotKey !== undefined);
    const slots = await readMembershipSlots(tx, named.map((write) => write.slotKey));
    return new Map(named.map((write, i) => [write, slots[i]]));
  }

  private settle(write: Queued): void {
    const seconds = (performance.now() - write.started) / 1000;
    const outcome = write.outcome ?? { ok: false as const, error: new Error('write left without an outcome') };
    if (outcome.ok) {
      this.observe(seconds, 'committed');
      write.resolve(outcome.value);
    } else {
      this.observe(seconds, 'failed');
      write.reject(outcome.error);
    }
  }

  /**
   * Runs a plan exactly as `write` would (same lock, same reads, same checks, so the same 4xx),
   * then rolls its transaction back: nothing is written and no revision is used.
   */
  async preview<T>(plan: Plan<T>): Promise<WritePreview<T>> {
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

/** The database cannot take writes now: running a group's writes one by one would only fail slower. */
function unavailable(err: unknown): boolean {
  return err instanceof StorageFullError || isConnectionLoss(err) || isDiskFull(err);
}
