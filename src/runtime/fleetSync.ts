import type { PolicyState } from '../engine/policyState';
import type { ChangeApplier } from '../store/changeApplier';
import { ChangeListener } from '../store/changeListener';
import { headRevision } from '../store/changeLog';
import { DEFAULT_POOL, type Database } from '../store/database';

export interface FleetSyncOptions {
  /** PostgreSQL's URL, to LISTEN on; undefined for the embedded database, where every write is this process's own */
  databaseUrl?: string;
  pollMs: number;
  /** how long opening the LISTEN connection may take */
  connectTimeoutMs?: number;
  onError: (err: unknown) => void;
}

interface Waiter {
  revision: number;
  done: (reached: boolean) => void;
}

/**
 * Keeps a sidecar's memory in step with the database shared by the fleet: each notification of a
 * commit, each reconnection of the listener, and a periodic look at the head revision (for a
 * notification that never came) start a catch-up from the change log, never more than one at a
 * time. It also knows how far behind the sidecar is, and lets a check wait for a revision.
 */
export class FleetSync {
  private knownHead: number;
  private running = false;
  private again = false;
  private pollTimer: NodeJS.Timeout | undefined;
  private listener: ChangeListener | undefined;
  private waiters: Waiter[] = [];

  constructor(
    private readonly db: Database,
    private readonly state: PolicyState,
    private readonly applier: ChangeApplier,
    private readonly options: FleetSyncOptions,
  ) {
    this.knownHead = state.revision;
    applier.onAdvanced((revision) => this.advanced(revision));
  }

  /** The newest revision this sidecar knows the database to hold. */
  get head(): number {
    return Math.max(this.knownHead, this.state.revision);
  }

  /** Revisions committed to the database and not yet applied here. */
  get lag(): number {
    return this.head - this.state.revision;
  }

  /** Whether change notifications are being received (always true on the embedded database). */
  get listening(): boolean {
    return this.options.databaseUrl === undefined || (this.listener?.listening ?? false);
  }

  async start(): Promise<void> {
    if (this.options.databaseUrl === undefined) return;
    this.listener = new ChangeListener({
      databaseUrl: this.options.databaseUrl,
      connectTimeoutMs: this.options.connectTimeoutMs ?? DEFAULT_POOL.connectTimeoutMs,
      onNotified: (revision) => this.heard(revision),
      onListening: () => this.catchUp(),
      onError: this.options.onError,
    });
    await this.listener.start();
    this.schedulePoll();
  }

  async stop(): Promise<void> {
    clearTimeout(this.pollTimer);
    this.pollTimer = undefined;
    await this.listener?.stop();
    for (const waiter of this.waiters) waiter.done(false);
    this.waiters = [];
  }

  /**
   * Resolves true once memory has reached the revision, false if it has not within the time. A
   * revision not yet here starts a catch-up at once rather than wait for the next notification.
   */
  reach(revision: number, timeoutMs: number): Promise<boolean> {
    if (this.state.revision >= revision) return Promise.resolve(true);
    if (this.options.databaseUrl !== undefined) this.catchUp();
    if (timeoutMs <= 0) return Promise.resolve(false);
    return new Promise((resolve) => {
      const waiter: Waiter = {
        revision,
        done: (reached) => {
          clearTimeout(timer);
          resolve(reached);
        },
      };
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        resolve(false);
      }, timeoutMs);
      this.waiters.push(waiter);
    });
  }

  private heard(revision: number): void {
    if (revision > this.knownHead) this.knownHead = revision;
    if (revision > this.state.revision) this.catchUp();
  }

  private advanced(revision: number): void {
    if (revision > this.knownHead) this.knownHead = revision;
    if (this.waiters.length === 0) return;
    const reached = this.waiters.filter((w) => w.revision <= revision);
    if (reached.length === 0) return;
    this.waiters = this.waiters.filter((w) => w.revision > revision);
    for (const waiter of reached) waiter.done(true);
  }

  /** One catch-up at a time; a request during one runs another right after it. */
  private catchUp(): void {
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = true;
    this.applier
      .catchUp()
      .catch((err: unknown) => this.options.onError(err))
      .finally(() => {
        this.running = false;
        if (this.again) {
          this.again = false;
          this.catchUp();
        }
      });
  }

  private schedulePoll(): void {
    this.pollTimer = setTimeout(() => {
      headRevision(this.db.prisma)
        .then((head) => this.heard(head))
        .catch((err: unknown) => this.options.onError(err))
        .finally(() => {
          if (this.pollTimer !== undefined) this.schedulePoll();
        });
    }, this.options.pollMs);
    this.pollTimer.unref();
  }
}
