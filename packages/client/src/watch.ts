import type { Context } from './context.js';
import { errorFromFailure, RealmgateError } from './errors.js';
import { backoffDelay, delay } from './retry.js';
import type { ChangeEvent } from './types.js';

export interface WatchOptions {
  /** the revision to continue after (the last event's `revision` seen); 0 for the whole log */
  after?: number;
  /** how long to wait before asking again when there was nothing new; 1000 by default */
  pollIntervalMs?: number;
  /** changes per request; realmgate's default when left out */
  limit?: number;
  /** ends the iteration */
  signal?: AbortSignal;
}

/** Waits between failed attempts: quickly at first, then at most every 5 s, forever. */
const RESUME = Object.freeze({ retries: Number.MAX_SAFE_INTEGER, baseDelayMs: 100, maxDelayMs: 5000 });

/** A source of change pages: each call answers the events after `after` and where to continue. */
type PageSource = (after: number, signal: AbortSignal | undefined) => Promise<{ events: ChangeEvent[]; next: number }>;

function pollingSource(ctx: Context, realm: string, limit: number | undefined): PageSource {
  return async (after, signal) => {
    const query = limit === undefined ? { after } : { after, limit };
    const { data } = await ctx.http.call<{ events: ChangeEvent[]; next: number }>({ ...ctx.attempt('call', true, { signal }), retry: { ...RESUME, retries: 0 } }, (s) =>
      ctx.http.api.GET('/v1/realms/{realm}/changes', { params: { path: { realm }, query }, signal: s }),
    );
    return data;
  };
}

/**
 * The realm's change events, oldest first, from `after` on, for as long as the caller iterates.
 * It reads the change log page by page and, at its end, polls it; a failure that may pass (the
 * sidecar restarting, a network error) is waited out and the feed resumes where it stopped. A
 * failure that will not pass (410 `compacted`, 401, 404) ends the iteration with that error.
 * The page source is one function, so that a streaming transport can take its place.
 */
export async function* watchChanges(ctx: Context, realm: string, options: WatchOptions): AsyncIterableIterator<ChangeEvent> {
  const source = pollingSource(ctx, realm, options.limit);
  const signal = options.signal;
  const pollIntervalMs = options.pollIntervalMs ?? 1000;
  let cursor = options.after ?? 0;
  let failures = 0;
  const pause = async (ms: number): Promise<boolean> => {
    try {
      await delay(ms, signal);
      return true;
    } catch {
      return false;
    }
  };
  while (!signal?.aborted) {
    let page: { events: ChangeEvent[]; next: number };
    try {
      page = await source(cursor, signal);
      failures = 0;
    } catch (e) {
      const err = errorFromFailure(e, false, signal?.aborted === true);
      if (err.code === 'aborted') return;
      if (!(err instanceof RealmgateError) || !err.retryable) throw err;
      failures += 1;
      if (!(await pause(backoffDelay(failures, RESUME, err.retryAfterSeconds)))) return;
      continue;
    }
    for (const event of page.events) {
      if (event.revision <= cursor) continue;
      yield event;
    }
    cursor = Math.max(cursor, page.next);
    if (page.events.length === 0 && !(await pause(pollIntervalMs))) return;
  }
}
