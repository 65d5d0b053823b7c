import { ExpiryTimer } from '../../src/runtime/expiryTimer';

/** A cleanup the test controls: records when it ran, answers with the next expiry it is given. */
function controlledCleanup() {
  const runs: number[] = [];
  let release: (() => void) | undefined;
  let hold = false;
  let next: number | null = null;
  return {
    runs,
    setNext: (at: number | null) => {
      next = at;
    },
    holdNextRun: () => {
      hold = true;
    },
    release: () => release?.(),
    run: async () => {
      runs.push(Date.now());
      if (hold) {
        hold = false;
        await new Promise<void>((resolve) => {
          release = resolve;
        });
      }
      return next;
    },
  };
}

describe('ExpiryTimer', () => {
  beforeEach(() => jest.useFakeTimers({ now: 1_000_000 }));
  afterEach(() => jest.useRealTimers());

  test('runs at start, then exactly at the next expiry it is told of', async () => {
    const c = controlledCleanup();
    c.setNext(1_005_000);
    const timer = new ExpiryTimer(c.run, Date.now, (e) => { throw e; });
    await timer.start();
    expect(c.runs).toEqual([1_000_000]);
    await jest.advanceTimersByTimeAsync(4_999);
    expect(c.runs).toHaveLength(1);
    c.setNext(null);
    await jest.advanceTimersByTimeAsync(1);
    expect(c.runs).toEqual([1_000_000, 1_005_000]);
    await jest.advanceTimersByTimeAsync(10_000_000);
    expect(c.runs).toHaveLength(2);
    await timer.stop();
  });

  test('an earlier expiry moves the timer forward; a later one does not postpone it', async () => {
    const c = controlledCleanup();
    c.setNext(1_060_000);
    const timer = new ExpiryTimer(c.run, Date.now, (e) => { throw e; });
    await timer.start();
    c.setNext(null);
    timer.consider(1_010_000);
    timer.consider(1_090_000);
    await jest.advanceTimersByTimeAsync(10_000);
    expect(c.runs).toEqual([1_000_000, 1_010_000]);
    await timer.stop();
  });

  test('an expiry that comes due while a cleanup runs gets a cleanup of its own afterwards', async () => {
    const c = controlledCleanup();
    const timer = new ExpiryTimer(c.run, Date.now, (e) => { throw e; });
    await timer.start();
    c.holdNextRun();
    timer.consider(1_001_000);
    await jest.advanceTimersByTimeAsync(1_000); // the held cleanup starts
    timer.consider(1_001_500); // written meanwhile; the held cleanup may have looked too early
    await jest.advanceTimersByTimeAsync(500);
    expect(c.runs).toHaveLength(2);
    c.release();
    await jest.advanceTimersByTimeAsync(0);
    expect(c.runs).toEqual([1_000_000, 1_001_000, 1_001_500]);
    await timer.stop();
  });

  test('a failed cleanup is reported and retried', async () => {
    const errors: unknown[] = [];
    let calls = 0;
    const timer = new ExpiryTimer(
      async () => {
        calls += 1;
        if (calls === 1) throw new Error('database unavailable');
        return null;
      },
      Date.now,
      (e) => errors.push(e),
    );
    await timer.start();
    expect(errors).toHaveLength(1);
    await jest.advanceTimersByTimeAsync(1_000);
    expect(calls).toBe(2);
    await timer.stop();
  });

  test('nothing fires after stop', async () => {
    const c = controlledCleanup();
    c.setNext(1_001_000);
    const timer = new ExpiryTimer(c.run, Date.now, (e) => { throw e; });
    await timer.start();
    await timer.stop();
    timer.consider(1_000_500);
    await jest.advanceTimersByTimeAsync(5_000);
    expect(c.runs).toHaveLength(1);
  });
});
