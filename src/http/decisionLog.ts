import crypto from 'node:crypto';
import pino, { type Logger } from 'pino';

export type DecisionLogMode = 'denied' | 'all';

/** What a logged decision says; `time` is added by the logger. */
export interface DecisionEntry {
  decisionId: string;
  realm: string | null;
  subject: string;
  org: string | null;
  permission: string;
  allowed: boolean;
  reason: string;
  /** the grant that matched; undefined (left out of the line) for a denial */
  match?: unknown;
  revision: number;
  requestId: string | null;
  /** ms from the request reaching the check route to the decision */
  latency: number;
}

type Destination = ReturnType<typeof pino.destination>;

/** At most this much of the decision log waits in memory to be written. */
export const DECISION_LOG_BUFFER_BYTES = 16 * 1024 * 1024;
/** How long closing keeps trying a destination that takes nothing (a full pipe). */
const CLOSE_GRACE_MS = 2_000;

/**
 * The decision log: one NDJSON line per logged check, through its own pino instance, apart from
 * any other log. Lines are buffered and written asynchronously (sonic-boom), so a check never
 * waits for the disk or the pipe. `denied` logs every denial; `all` also logs allowed decisions,
 * a sampled share of them.
 */
export class DecisionLog {
  private readonly logger: Logger;

  constructor(
    readonly mode: DecisionLogMode,
    private readonly sample: number,
    private readonly destination: Destination,
    private readonly random: () => number = Math.random,
  ) {
    this.logger = pino(
      {
        base: null,
        messageKey: 'message',
        timestamp: pino.stdTimeFunctions.isoTime,
        formatters: { level: (label) => ({ level: label }) },
      },
      destination,
    );
  }

  /**
   * off: undefined; otherwise a log to the file, or to stdout. What waits to be written is bounded:
   * past DECISION_LOG_BUFFER_BYTES (a reader that stopped reading, a stalled disk), entries are
   * dropped rather than held in memory, and closing gives up on a destination that takes nothing.
   */
  static open(config: { decisionLog: 'off' | DecisionLogMode; decisionLogSample: number; decisionLogFile?: string }): DecisionLog | undefined {
    if (config.decisionLog === 'off') return undefined;
    let giveUpAt = Infinity;
    const destination = pino.destination({
      dest: config.decisionLogFile ?? 1,
      sync: false,
      // lines are gathered into writes of 32 to 64 KiB: one system call for a hundred-odd decisions
      minLength: 32 * 1024,
      maxWrite: 64 * 1024,
      maxLength: DECISION_LOG_BUFFER_BYTES,
      mkdir: true,
      retryEAGAIN: () => Date.now() < giveUpAt,
    });
    const log = new DecisionLog(config.decisionLog, config.decisionLogSample, destination);
    log.beforeClose = () => (giveUpAt = Date.now() + CLOSE_GRACE_MS);
    return log;
  }

  /** A new decision id: every answer carries one while the log is on. */
  newId(): string {
    return crypto.randomUUID();
  }

  /** Whether a decision is to be logged: every denial; allowed ones in `all` mode, sampled. */
  wants(allowed: boolean): boolean {
    if (!allowed) return true;
    return this.mode === 'all' && (this.sample >= 1 || this.random() < this.sample);
  }

  write(entry: DecisionEntry): void {
    this.logger.info(entry);
  }

  private beforeClose: () => void = () => undefined;

  /** Writes out what is buffered (on shutdown). */
  close(): void {
    this.beforeClose();
    try {
      this.destination.flushSync();
    } catch {
      // not yet open, or already closed: nothing is buffered
    }
  }
}
