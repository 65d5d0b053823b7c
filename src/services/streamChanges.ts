import type { RealmEvent } from '../engine/events';
import { parseEventId } from '../engine/events';
import type { Database } from '../store/database';
import { listChanges } from './listChanges';

const PAGE = 500;

/** Where a stream starts: after a revision, or after an event inside one (Last-Event-ID). */
export interface StreamPosition {
  after: number;
  /** events of revision after+1 up to this index were seen already */
  seenInNext?: number;
}

/** Last-Event-ID `<revision>.<n>` wins over `after`: it is where the client really stands. */
export function streamPosition(after: number, lastEventId: string | undefined): StreamPosition {
  const id = lastEventId === undefined ? undefined : parseEventId(lastEventId);
  // revisions start at 1: an id of revision 0 names no event, and would read as a start before 0
  return id && id.revision > 0 ? { after: id.revision - 1, seenInNext: id.n } : { after };
}

export interface StreamSink {
  event(e: RealmEvent): void;
  heartbeat(): void;
  /** resolves once the client has taken what was written (at once when nothing waits), or went away */
  writable(): Promise<void>;
  /** resolves when the client went away or the server is closing */
  readonly closed: Promise<void>;
  readonly isClosed: () => boolean;
}

const indexOf = (e: RealmEvent): number => Number(e.id.slice(e.id.indexOf('.') + 1));

/**
 * Reads a realm's events from the change log and passes them on as they are committed, until the
 * sink closes: each revision applied here wakes it; a quiet stream sends a heartbeat. The first
 * page is read by the caller (`first`), so that a missing realm or a compacted start is answered
 * before the stream begins; later compaction past the stream's position throws 410 as well.
 */
export async function streamChanges(
  deps: { db: Database; onRevision?: (listener: () => void) => () => void },
  realm: string,
  position: StreamPosition,
  first: { events: RealmEvent[]; next: number },
  sink: StreamSink,
  heartbeatMs: number,
): Promise<void> {
  let pending = false;
  let wake: (() => void) | undefined;
  const unsubscribe = deps.onRevision?.(() => {
    pending = true;
    wake?.();
  });
  void sink.closed.then(() => wake?.());
  try {
    let page = first;
    let skipRevision = position.seenInNext === undefined ? undefined : position.after + 1;
    let after = position.after;
    for (;;) {
      for (const e of page.events) {
        if (e.revision === skipRevision && indexOf(e) <= (position.seenInNext ?? 0)) continue;
        sink.event(e);
      }
      if (page.events.length > 0) skipRevision = undefined;
      // a client that does not read holds up its own stream, not the server's memory
      await sink.writable();
      const moved = page.next > after;
      after = page.next;
      if (sink.isClosed()) return;
      if (!moved && !pending) {
        const timedOut = await new Promise<boolean>((resolve) => {
          const timer = setTimeout(() => resolve(true), heartbeatMs);
          wake = () => {
            clearTimeout(timer);
            resolve(false);
          };
        });
        wake = undefined;
        if (sink.isClosed()) return;
        if (timedOut) sink.heartbeat();
      }
      pending = false;
      page = await listChanges(deps, realm, after, PAGE);
    }
  } finally {
    unsubscribe?.();
  }
}
