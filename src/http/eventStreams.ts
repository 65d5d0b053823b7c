import type { Response } from 'express';
import type { RealmEvent } from '../engine/events';
import type { StreamSink } from '../services/streamChanges';

/**
 * The open Server-Sent Events responses, so that shutdown can end them (an open stream would
 * otherwise keep the server from closing).
 */
export class EventStreams {
  private readonly open = new Set<() => void>();

  get size(): number {
    return this.open.size;
  }

  /** Starts an event stream on the response; the sink writes SSE frames until either side closes. */
  start(res: Response): StreamSink {
    res.status(200);
    res.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('X-Accel-Buffering', 'no');
    res.flushHeaders();
    let closed = false;
    let resolveClosed: () => void = () => undefined;
    const closedPromise = new Promise<void>((resolve) => (resolveClosed = resolve));
    const close = () => {
      if (closed) return;
      closed = true;
      this.open.delete(close);
      if (!res.writableEnded) res.end();
      resolveClosed();
    };
    this.open.add(close);
    res.on('close', close);
    return {
      event: (e: RealmEvent) => {
        if (!closed) res.write(`id: ${e.id}\nevent: ${e.type}\ndata: ${JSON.stringify(e)}\n\n`);
      },
      heartbeat: () => {
        if (!closed) res.write(': heartbeat\n\n');
      },
      writable: () =>
        closed || !res.writableNeedDrain
          ? Promise.resolve()
          : new Promise<void>((resolve) => {
              const done = () => {
                res.off('drain', done);
                res.off('close', done);
                resolve();
              };
              res.once('drain', done);
              res.once('close', done);
            }),
      closed: closedPromise,
      isClosed: () => closed,
    };
  }

  /** Sends a last `error` event and ends the stream. */
  static fail(res: Response, sink: StreamSink, body: unknown): void {
    if (!sink.isClosed()) res.end(`event: error\ndata: ${JSON.stringify(body)}\n\n`);
  }

  /** Ends every open stream (on shutdown). */
  closeAll(): void {
    for (const close of [...this.open]) close();
  }
}
