import type http from 'node:http';
import { Realmgate, RealmgateError, type ChangeEvent } from '../../packages/client/src/index';
import { FakeServer } from './fakeServer';

/**
 * watch() over the live stream (Server-Sent Events), against a fake realmgate: what it asks for,
 * resuming after a dropped connection with Last-Event-ID (no gap, no repeat), the `error` event
 * that ends it, and falling back to polling when the server answers JSON.
 */
let server: FakeServer;
beforeEach(async () => {
  server = await new FakeServer().start();
});
afterEach(() => server.stop());

const client = () => new Realmgate({ url: server.url, realm: 'acme', token: 't0ken' });
const event = (id: string): ChangeEvent => {
  const revision = Number(id.split('.')[0]);
  return { id, type: 'org.created', realm: 'acme', revision, occurredAt: new Date(0).toISOString(), data: { realm: 'acme', org: `o${id}` } };
};
const sse = (e: ChangeEvent) => `id: ${e.id}\nevent: ${e.type}\ndata: ${JSON.stringify(e)}\n\n`;
const streamHead = (res: http.ServerResponse) => res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });

/** Collects `count` events' ids, then stops the watch. */
async function take(iterable: (signal: AbortSignal) => AsyncIterable<ChangeEvent>, count: number): Promise<string[]> {
  const controller = new AbortController();
  const ids: string[] = [];
  for await (const e of iterable(controller.signal)) {
    ids.push(e.id);
    if (ids.length === count) controller.abort();
  }
  return ids;
}

test('asks for the event stream after the given revision and yields its events, skipping heartbeats', async () => {
  server.answer({
    handle: (res) => {
      streamHead(res);
      res.write(': heartbeat\n\n');
      // an event split across writes is still one event
      const text = sse(event('5.1')) + sse(event('5.2'));
      res.write(text.slice(0, 20));
      res.write(text.slice(20));
    },
  });
  const ids = await take((signal) => client().watch({ after: 4, signal }), 2);
  expect(ids).toEqual(['5.1', '5.2']);
  expect(server.requests[0].url).toBe('/v1/realms/acme/changes?after=4');
  expect(server.requests[0].headers.accept).toBe('text/event-stream');
  expect(server.requests[0].headers['last-event-id']).toBeUndefined();
});

test('a connection dropped inside a revision resumes with Last-Event-ID; what the server sends again is not repeated', async () => {
  server.answer(
    {
      handle: (res) => {
        streamHead(res);
        res.write(sse(event('1.1')) + sse(event('2.1')) + sse(event('2.2')), () => res.socket?.destroy());
      },
    },
    {
      handle: (res) => {
        streamHead(res);
        // a server that resumed one event too early: the client must not deliver 2.2 twice
        res.write(sse(event('2.2')) + sse(event('2.3')) + sse(event('3.1')));
      },
    },
  );
  const ids = await take((signal) => client().watch({ signal }), 4);
  expect(ids).toEqual(['1.1', '2.1', '2.2', '2.3']);
  expect(server.requests.map((r) => r.headers['last-event-id'])).toEqual([undefined, '2.2']);
});

test('the error event (compacted) ends the iteration with a RealmgateError carrying its code and revision', async () => {
  server.answer({
    handle: (res) => {
      streamHead(res);
      res.write(sse(event('9.1')));
      res.write(`event: error\ndata: ${JSON.stringify({ error: { code: 'compacted', message: 'changes after 9 were compacted', revision: 40 } })}\n\n`);
      res.end();
    },
  });
  const seen: string[] = [];
  const failure = await (async () => {
    for await (const e of client().watch({ after: 8 })) seen.push(e.id);
  })().catch((e) => e);
  expect(seen).toEqual(['9.1']);
  expect(failure).toBeInstanceOf(RealmgateError);
  expect(failure).toMatchObject({ status: 410, code: 'compacted', revision: 40, retryable: false });
});

test('a server that answers JSON instead of a stream is polled from then on', async () => {
  server.answer({ body: { events: [event('3.1')], next: 3 } }, { body: { events: [event('3.1')], next: 3 } }, { body: { events: [], next: 3 } }, { body: { events: [event('4.1')], next: 4 } });
  server.fallback = () => ({ body: { events: [], next: 4 } });
  const ids = await take((signal) => client().watch({ after: 2, pollIntervalMs: 10, signal }), 2);
  expect(ids).toEqual(['3.1', '4.1']);
  expect(server.requests[0].headers.accept).toBe('text/event-stream');
  expect(server.requests.slice(1, 4).map((r) => [r.url, r.headers.accept])).toEqual([
    ['/v1/realms/acme/changes?after=2', 'application/json'],
    ['/v1/realms/acme/changes?after=3', 'application/json'],
    ['/v1/realms/acme/changes?after=3', 'application/json'],
  ]);
});

test('a stream that goes silent past idleTimeoutMs is reconnected from where it stood', async () => {
  server.answer(
    {
      handle: (res) => {
        streamHead(res);
        res.write(sse(event('7.1')));
      },
    },
    {
      handle: (res) => {
        streamHead(res);
        res.write(sse(event('8.1')));
      },
    },
  );
  const ids = await take((signal) => client().watch({ after: 6, idleTimeoutMs: 150, signal }), 2);
  expect(ids).toEqual(['7.1', '8.1']);
  expect(server.requests[1].headers['last-event-id']).toBe('7.1');
});
