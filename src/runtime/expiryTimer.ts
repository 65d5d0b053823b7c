/**
 * Fires at the next membership expiry (not a poll): `run` deletes what is due and says when the
 * next one is. Earlier expiries arriving meanwhile move the timer forward.
 */
export class ExpiryTimer {
  private timer: NodeJS.Timeout | undefined;
  private dueAt = Number.POSITIVE_INFINITY;
  private running: Promise<void> | undefined;
  private stopped = false;
  /** set when the timer came due while a cleanup ran: that cleanup may have looked too early */
  private rerun = false;

  /** setTimeout's ceiling; a later expiry is reached in hops */
  private static readonly MAX_DELAY = 2_147_483_647;
  private static readonly RETRY_DELAY = 1_000;

  constructor(
    private readonly run: () => Promise<number | null>,
    private readonly now: () => number,
    private readonly onError: (err: unknown) => void,
  ) {}

  /** Makes sure the timer fires no later than `at` (epoch ms). */
  consider(at: number | null): void {
    if (at === null || this.stopped || at >= this.dueAt) return;
    this.schedule(at);
  }

  /** Runs now, then keeps itself scheduled. */
  start(): Promise<void> {
    this.fire();
    return this.running?.then(() => undefined) ?? Promise.resolve();
  }

  /** Resolves once any running cleanup has finished; nothing fires afterwards. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.running;
  }

  private takeRerun(): boolean {
    const rerun = this.rerun;
    this.rerun = false;
    return rerun;
  }

  private schedule(at: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.dueAt = at;
    const delay = Math.min(Math.max(0, at - this.now()), ExpiryTimer.MAX_DELAY);
    this.timer = setTimeout(() => this.fire(), delay);
    this.timer.unref();
  }

  private fire(): void {
    this.timer = undefined;
    this.dueAt = Number.POSITIVE_INFINITY;
    if (this.running) {
      this.rerun = true;
      return;
    }
    this.running = this.run()
      .then((next) => {
        this.running = undefined;
        this.consider(this.takeRerun() ? this.now() : next);
      })
      .catch((err) => {
        this.running = undefined;
        this.onError(err);
        this.consider(this.now() + ExpiryTimer.RETRY_DELAY);
      });
  }
}
