import { createParser } from 'eventsource-parser';
import { changesPage } from './calls.js';
import type { Context } from './context.js';
import { errorFromFailure, RealmgateError } from './errors.js';
import { backoffDelay, delay } from './retry.js';
import type { ChangeEvent } from './types.js';

export interface WatchOptions {
  /** the revision to continue after (the last event's `revision` seen); 0 for the whole log */
  after?: number;
  /**
   * `auto` (the default): the live stream (Server-Sent Events) when the sidecar offers it, else
   * polling; `poll`: always poll the change log
   */
  transport?: 'auto' | 'poll';
  /** polling: how long to wait before asking again when there was nothing new; 1000 by default */
  pollIntervalMs?: number;
  /** polling: changes per request; realmgate's default when left out */
  limit?: number;
  /** streaming: reconnect when nothing, not even a heartbeat, arrived for this long; 60000 by default */
  idleTimeoutMs?: number;
  /** ends the iteration */
  signal?: AbortSignal;
}

/** Waits between failed attempts: quickly at first, then at most every 5 s, forever. */
const RESUME = Object.freeze({ retries: Number.MAX_SAFE_INTEGER, baseDelayMs: 100, maxDelayMs: 5000 });

/**
 * Where the watcher stands: the last event delivered, as `<revision>.<n>` (event ids). `n` is
 * Infinity when every event of `revision` was delivered (a start `after`, or a polled page).
 */
interface Position {
  revision: number;
  n: number;
}

/** `n` of an event id `<revision>.<n>`; an event without one stands for its whole revision. */
function eventIndex(id: string | undefined): number {
  const dot = id?.indexOf('.') ?? -1;
  return id === undefined || dot < 0 ? Number.POSITIVE_INFINITY : Number(id.slice(dot + 1));
}

/** Whether the event comes after the position, so that nothing is delivered twice. */
function isNew(e: ChangeEvent, at: Position): boolean {
  return e.revision > at.revision || (e.revision === at.revision && eventIndex(e.id) > at.n);
}

function advance(at: Position, e: ChangeEvent): void {
  at.revision = e.revision;
  at.n = eventIndex(e.id);
}

/** The revision a request must start after so that no event past the position is missed. */
const startAfter = (at: Position) => (at.n === Number.POSITIVE_INFINITY ? at.revision : at.revision - 1);

/** The `error` event of a stream carries the body of an error answer (410 `compacted`). */
function streamError(data: string): RealmgateError {
  let body: { error?: { code?: unknown; message?: unknown; revision?: unknown } } = {};
  try {
    body = JSON.parse(data);
  } catch {
    // not JSON: described below
  }
  const e = body.error ?? {};
  const code = typeof e.code === 'string' ? e.code : 'stream_error';
  return new RealmgateError({
    status: code === 'compacted' ? 410 : 0,
    code,
    message: typeof e.message === 'string' ? e.message : `the change stream ended with an error: ${data}`,
    revision: typeof e.revision === 'number' ? e.revision : undefined,
  });
}

class IdleStream extends Error {
  constructor(ms: number) {
    super(`the change stream sent nothing for ${ms} ms`);
    this.name = 'IdleStream';
  }
}

/**
 * One connection to the live stream, from the position on: yields its events until the server
 * ends it (answers 'ended') or says it does not stream (answers 'unsupported'); a dropped
 * connection throws, and the caller reconnects from the position, which the events move forward.
 */
async function* streamOnce(ctx: Context, realm: string, at: Position, options: WatchOptions): AsyncGenerator<ChangeEvent, 'ended' | 'unsupported'> {
  const connection = new AbortController();
  const callerSignal = options.signal;
  const stop = () => connection.abort(callerSignal?.reason);
  callerSignal?.addEventListener('abort', stop, { once: true });
  const idleMs = options.idleTimeoutMs ?? 60_000;
  let idle: ReturnType<typeof setTimeout> | undefined;
  try {
    const headers: Record<string, string> = { accept: 'text/event-stream' };
    // inside a revision only the event id says where to resume; the server then ignores `after`
    if (at.n !== Number.POSITIVE_INFINITY) headers['last-event-id'] = `${at.revision}.${at.n}`;
    let response: Response;
    try {
      response = await ctx.http.open(`/v1/realms/${encodeURIComponent(realm)}/changes?after=${startAfter(at)}`, headers, ctx.defaults.timeoutMs, connection.signal);
    } catch (err) {
      if (err instanceof RealmgateError && err.status === 406) return 'unsupported';
      throw err;
    }
    if (!(response.headers.get('content-type') ?? '').startsWith('text/event-stream') || !response.body) {
      await response.body?.cancel().catch(() => undefined);
      return 'unsupported';
    }
    const received: ChangeEvent[] = [];
    let failure: RealmgateError | undefined;
    const parser = createParser({
      onEvent(message) {
        if (message.event === 'error') failure = streamError(message.data);
        else received.push(JSON.parse(message.data) as ChangeEvent);
      },
    });
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    try {
      for (;;) {
        idle = setTimeout(() => connection.abort(new IdleStream(idleMs)), idleMs);
        const { done, value } = await reader.read();
        clearTimeout(idle);
        if (done) return 'ended';
        parser.feed(decoder.decode(value, { stream: true }));
        for (const e of received.splice(0)) {
          if (callerSignal?.aborted) return 'ended';
          if (!isNew(e, at)) continue;
          advance(at, e);
          yield e;
        }
        if (failure) throw failure;
      }
    } finally {
      reader.cancel().catch(() => undefined);
    }
  } finally {
    clearTimeout(idle);
    callerSignal?.removeEventListener('abort', stop);
    connection.abort();
  }
}

/** One page of the change log after the position, its new events delivered. */
async function* pollOnce(ctx: Context, realm: string, at: Position, options: WatchOptions): AsyncGenerator<ChangeEvent, number> {
  const query = options.limit === undefined ? { after: startAfter(at) } : { after: startAfter(at), limit: options.limit };
  const { data } = await ctx.http.call({ ...ctx.attempt('call', true, { signal: options.signal }), retry: { ...RESUME, retries: 0 } }, changesPage(ctx, realm, query));
  let delivered = 0;
  for (const e of data.events) {
    if (options.signal?.aborted) return delivered;
    if (!isNew(e, at)) continue;
    advance(at, e);
    delivered += 1;
    yield e;
  }
  // the page holds every event up to `next`
  if (data.next >= at.revision) {
    at.revision = data.next;
    at.n = Number.POSITIVE_INFINITY;
  }
  return delivered;
}

/**
 * The realm's change events, oldest first, from `after` on, for as long as the caller iterates.
 * It follows the live stream when the sidecar offers one, and otherwise reads the change log page
 * by page, polling at its end. A failure that may pass (the sidecar restarting, a dropped
 * connection) is waited out with backoff and the feed resumes right after the last event it
 * delivered (Last-Event-ID): no gap, no repeat. A failure that will not pass (`compacted`, 401,
 * 404) ends the iteration with that error; aborting `signal` ends it quietly.
 */
export async function* watchChanges(ctx: Context, realm: string, options: WatchOptions): AsyncIterableIterator<ChangeEvent> {
  const signal = options.signal;
  const pollIntervalMs = options.pollIntervalMs ?? 1000;
  const at: Position = { revision: options.after ?? 0, n: Number.POSITIVE_INFINITY };
  let streaming = options.transport !== 'poll';
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
    const before = `${at.revision}.${at.n}`;
    try {
      if (streaming) {
        const outcome = yield* streamOnce(ctx, realm, at, options);
        if (outcome === 'unsupported') {
          streaming = false;
          continue;
        }
        // the server ended the stream (it is shutting down): reconnect, after a pause if it gave nothing
        failures = `${at.revision}.${at.n}` === before ? failures + 1 : 0;
        if (failures > 0 && !(await pause(backoffDelay(failures, RESUME)))) return;
      } else {
        const delivered = yield* pollOnce(ctx, realm, at, options);
        failures = 0;
        if (delivered === 0 && !(await pause(pollIntervalMs))) return;
      }
    } catch (e) {
      const err = errorFromFailure(e, false, signal?.aborted === true);
      if (err.code === 'aborted') return;
      if (!err.retryable) throw err;
      failures = `${at.revision}.${at.n}` === before ? failures + 1 : 1;
      if (!(await pause(backoffDelay(failures, RESUME, err.retryAfterSeconds)))) return;
    }
  }
}
