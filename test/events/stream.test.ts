import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { startHarness, TEST_TOKEN, type Harness } from '../support/harness';
import { listChanges } from '../../src/services/listChanges';
import { streamChanges, streamPosition, type StreamSink } from '../../src/services/streamChanges';

let h: Harness;
let server: http.Server;
let base: string;

beforeAll(async () => {
  h = await startHarness({ env: { REALMGATE_STREAM_HEARTBEAT_MS: '200', REALMGATE_LOG_RETENTION_SECONDS: '60' } });
  server = http.createServer(h.app).listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}, 120_000);
afterAll(async () => {
  h.streams.closeAll();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  await h.close();
});

interface Frame {
  id?: string;
  event?: string;
  data?: any;
  comment?: string;
}

/** An SSE client on a raw connection: frames as they come, waiting by predicate, dropping the connection at will. */
class StreamClient {
  readonly frames: Frame[] = [];
  status = 0;
  contentType = '';
  ended = false;
  private buffer = '';
  private waiters: (() => void)[] = [];
  private req!: http.ClientRequest;

  constructor(path: string, headers: Record<string, string> = {}) {
    this.req = http.get(`${base}${path}`, { headers: { Accept: 'text/event-stream', Authorization: `Bearer ${TEST_TOKEN}`, ...headers } }, (res) => {
      this.status = res.statusCode ?? 0;
      this.contentType = String(res.headers['content-type']);
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => this.feed(chunk));
      res.on('end', () => {
        this.ended = true;
        this.notify();
      });
    });
    this.req.on('error', () => undefined);
  }

  private feed(chunk: string): void {
    this.buffer += chunk;
    let at: number;
    while ((at = this.buffer.indexOf('\n\n')) >= 0) {
      const block = this.buffer.slice(0, at);
      this.buffer = this.buffer.slice(at + 2);
      const frame: Frame = {};
      for (const line of block.split('\n')) {
        if (line.startsWith(':')) frame.comment = line.slice(1).trim();
        else if (line.startsWith('id: ')) frame.id = line.slice(4);
        else if (line.startsWith('event: ')) frame.event = line.slice(7);
        else if (line.startsWith('data: ')) frame.data = JSON.parse(line.slice(6));
      }
      this.frames.push(frame);
    }
    this.notify();
  }

  private notify(): void {
    const waiting = this.waiters;
    this.waiters = [];
    for (const w of waiting) w();
  }

  get events(): Frame[] {
    return this.frames.filter((f) => f.id !== undefined);
  }

  async until(ok: (c: StreamClient) => boolean, timeoutMs = 15_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!ok(this)) {
      if (Date.now() > deadline) throw new Error(`stream did not get there; frames: ${JSON.stringify(this.frames)}`);
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 200);
      });
    }
  }

  drop(): void {
    this.req.destroy();
  }
}

const head = async () => (await h.http().get('/readyz').expect(200)).body.revision as number;

describe('live change stream', () => {
  test('streams the same events as the polling form, resumes after a dropped connection with no gap and no repeat', async () => {
    const start = await head();
    await h.admin.put('/v1/realms/live').expect(201);
    const first = new StreamClient(`/v1/realms/live/changes?after=${start}`);
    await first.until((c) => c.events.length >= 1);
    expect(first.status).toBe(200);
    expect(first.contentType).toMatch(/^text\/event-stream/);

    // one write, three events (org, user, membership): the connection drops after the second
    await h.admin.put('/v1/realms/live/users/amy/memberships/wiki', { permissions: ['pages:read'] }).expect(201);
    await first.until((c) => c.events.length >= 3);
    const seen = first.events.slice(0, 3);
    first.drop();
    expect(seen.map((f) => f.event)).toEqual(['realm.created', 'org.created', 'user.created']);

    await h.admin.put('/v1/realms/live/users/amy', { state: 'disabled' }).expect(200);
    const resumed = new StreamClient(`/v1/realms/live/changes?after=${start}`, { 'Last-Event-ID': seen[2].id! });
    await resumed.until((c) => c.events.length >= 2);
    resumed.drop();

    const streamed = [...seen, ...resumed.events.slice(0, 2)];
    const polled = (await h.admin.get(`/v1/realms/live/changes?after=${start}`).expect(200)).body.events;
    expect(streamed.map((f) => f.id)).toEqual(polled.map((e: { id: string }) => e.id));
    expect(streamed.map((f) => f.data)).toEqual(polled);
    expect(streamed.map((f) => f.event)).toEqual(['realm.created', 'org.created', 'user.created', 'membership.created', 'user.updated']);
  });

  test('a client that does not take what was written holds up its own stream: nothing more is read for it meanwhile', async () => {
    const start = await head();
    await h.admin.put('/v1/realms/slowreader').expect(201);
    await h.admin.put('/v1/realms/slowreader/orgs/o1').expect(201);
    await h.admin.put('/v1/realms/slowreader/orgs/o2').expect(201);
    const written: string[] = [];
    // each time the stream waits for the client: what it had written by then, and how to let it go on
    const pauses: { written: number; release: () => void }[] = [];
    let paused: (() => void) | undefined;
    const nextPause = () => new Promise<void>((resolve) => (paused = resolve));
    let closed = false;
    let close!: () => void;
    const sink: StreamSink = {
      event: (e) => written.push(`${e.type} ${(e.data.org as string | undefined) ?? ''}`.trim()),
      heartbeat: () => undefined,
      writable: () =>
        new Promise<void>((release) => {
          pauses.push({ written: written.length, release });
          paused?.();
        }),
      closed: new Promise<void>((resolve) => (close = () => ((closed = true), resolve()))),
      isClosed: () => closed,
    };
    const deps = h.runtime.deps;
    const first = await listChanges(deps, 'slowreader', start, 1);
    let pause = nextPause();
    const done = streamChanges(deps, 'slowreader', { after: start }, first, sink, 60_000);
    await pause;
    expect(pauses.map((p) => p.written)).toEqual([1]);
    expect(written).toEqual(['realm.created']);
    pause = nextPause();
    pauses[0].release();
    await pause;
    expect(written).toEqual(['realm.created', 'org.created o1', 'org.created o2']);
    close();
    pauses[1].release();
    await done;
  });

  test('a Last-Event-ID that names no event is ignored: the stream starts from after', () => {
    expect(streamPosition(7, '12.3')).toEqual({ after: 11, seenInNext: 3 });
    for (const id of ['0.1', '0.0', 'x', '', '12', '12.', '.3', '1e3.1', '-4.1', '9'.repeat(16) + '.1', '12.3.4']) {
      expect(streamPosition(7, id)).toEqual({ after: 7 });
    }
  });

  test('a quiet stream sends heartbeats', async () => {
    await h.admin.put('/v1/realms/quiet').expect(201);
    const c = new StreamClient(`/v1/realms/quiet/changes?after=${await head()}`);
    await c.until((x) => x.frames.filter((f) => f.comment === 'heartbeat').length >= 2);
    c.drop();
  });

  test('an unknown realm is a 404 before any stream begins', async () => {
    const c = new StreamClient('/v1/realms/never-was/changes');
    await c.until((x) => x.ended);
    expect(c.status).toBe(404);
  });

  test('a start before what the log keeps is an error event, then the end of the stream', async () => {
    await h.admin.put('/v1/realms/old').expect(201);
    await h.admin.put('/v1/realms/old/orgs/o1').expect(201);
    h.clock.advance(120_000);
    await h.admin.put('/v1/realms/old/orgs/o2').expect(201);
    expect(await h.runtime.compactor.compactNow()).toBeGreaterThan(0);
    const c = new StreamClient('/v1/realms/old/changes?after=0');
    await c.until((x) => x.ended);
    expect(c.status).toBe(200);
    expect(c.frames).toEqual([{ event: 'error', data: { error: expect.objectContaining({ code: 'compacted', field: 'after' }) } }]);
  });

  test('closing the streams ends every open one (as shutdown does)', async () => {
    await h.admin.put('/v1/realms/closing').expect(201);
    const c = new StreamClient(`/v1/realms/closing/changes?after=${await head()}`);
    await c.until((x) => x.status === 200 && h.streams.size > 0);
    h.streams.closeAll();
    await c.until((x) => x.ended);
    expect(h.streams.size).toBe(0);
  });
});
