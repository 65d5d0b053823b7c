import { compactChanges } from '../store/changeLog';
import type { Database } from '../store/database';

const MAX_INTERVAL_MS = 60_000;

/**
 * Deletes change-log entries older than the retention, on a timer (every minute, or more often
 * when the retention is shorter). Several sidecars may run one: only one compacts at a time.
 */
export class LogCompactor {
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly db: Database,
    private readonly retentionSeconds: number,
    private readonly now: () => number,
    private readonly onError: (err: unknown) => void,
  ) {}

  start(): void {
    const every = Math.min(MAX_INTERVAL_MS, Math.max(1_000, (this.retentionSeconds * 1000) / 2));
    this.timer = setInterval(() => {
      this.compactNow().catch(this.onError);
    }, every);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  compactNow(): Promise<number> {
    return compactChanges(this.db.prisma, new Date(this.now() - this.retentionSeconds * 1000));
  }
}
