/**
 * Long work on the event loop's thread, done in slices: `due()` says when the current slice has run
 * its time, `pause()` lets waiting requests (checks above all) run before the next one. Work that
 * ends within one slice never pauses, so small changes pay nothing for it.
 */
export class TimeSlice {
  private sliceStart = performance.now();
  private steps = 0;

  constructor(private readonly budgetMs = SLICE_MS) {}

  /** Cheap enough to call once per item: the clock is read only every 64 calls. */
  due(): boolean {
    this.steps += 1;
    if ((this.steps & 63) !== 0) return false;
    return performance.now() - this.sliceStart >= this.budgetMs;
  }

  /** For loops whose every step is long: reads the clock each time, pauses when over budget. */
  async checkpoint(): Promise<void> {
    if (performance.now() - this.sliceStart >= this.budgetMs) await this.pause();
  }

  async pause(): Promise<void> {
    await new Promise<void>((resolve) => setImmediate(resolve));
    this.sliceStart = performance.now();
  }
}

/** Long enough that pausing costs little, short enough that a check waits no longer than this. */
const SLICE_MS = 4;
