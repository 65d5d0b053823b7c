import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Realmgate, type ChangeEvent } from '../../packages/client/src/index';
import { Fleet, FLEET_TOKEN, waitFor, type Sidecar } from '../support/fleet';
import { createScratchDatabase, describeWithPostgres } from '../support/postgres';

/**
 * watch() on the live stream of real realmgate processes sharing one PostgreSQL: the stream is
 * cut in the middle (a TCP connection destroyed; the sidecar behind a Unix socket killed and
 * restarted) while another sidecar goes on writing, and the events the watcher delivered are
 * exactly the change log's: none missing, none twice, in order.
 */

/** A TCP relay in front of a sidecar whose connections the test can cut at will. */
class CuttableRelay {
  private readonly sockets = new Set<net.Socket>();
  private readonly server = net.createServer((inbound) => {
    const target = new URL(this.target());
    const outbound = net.connect(Number(target.port), target.hostname);
    for (const s of [inbound, outbound]) {
      this.sockets.add(s);
      s.on('error', () => undefined);
      s.on('close', () => {
        this.sockets.delete(s);
        inbound.destroy();
        outbound.destroy();
      });
    }
    inbound.pipe(outbound).pipe(inbound);
  });
  url = '';

  constructor(private readonly target: () => string) {}

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as net.AddressInfo).port}`;
    return this;
  }

  /** Destroys every open connection; returns how many there were. */
  cut(): number {
    const n = this.sockets.size;
    for (const s of this.sockets) s.destroy();
    return n;
  }

  stop(): Promise<void> {
    this.cut();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

/** Iterates a watch in the background, keeping every event's id. */
function follow(client: Realmgate, after: number) {
  const controller = new AbortController();
  const ids: string[] = [];
  const done = (async () => {
    for await (const e of client.watch({ after, signal: controller.signal })) ids.push((e as ChangeEvent).id);
  })();
  return {
    ids,
    stop: async () => {
      controller.abort();
      await done;
    },
  };
}

describeWithPostgres('watch on the live stream of real sidecars, cut in the middle', () => {
  let scratch: Awaited<ReturnType<typeof createScratchDatabase>>;
  let fleet: Fleet;
  let streaming: Sidecar;
  let writing: Sidecar;
  let relay: CuttableRelay;
  const socketDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rg-watch-'));
  const socketPath = path.join(socketDir, 's.sock');
  const clients: Realmgate[] = [];
  const client = (options: ConstructorParameters<typeof Realmgate>[0]) => {
    const c = new Realmgate({ token: FLEET_TOKEN, realm: 'live', ...options });
    clients.push(c);
    return c;
  };
  let writer: Realmgate;
  let batchNo = 0;

  /** One change of several events: three memberships (and their users) in a new org. */
  const writeBatch = async () => {
    batchNo += 1;
    const org = `org${batchNo}`;
    return writer.realm().batch({ upsert: ['u1', 'u2', 'u3'].map((user) => ({ user, org, permissions: [`orders:${batchNo}`] })) });
  };

  /** Every event id in the change log after `after`, read page by page from the writing sidecar. */
  const logIds = async (after: number): Promise<string[]> => {
    const ids: string[] = [];
    for (let cursor = after; ; ) {
      const page = await writer.realm().changes({ after: cursor, limit: 1000 });
      ids.push(...page.events.map((e) => e.id));
      if (page.next === cursor) return ids;
      cursor = page.next;
    }
  };

  beforeAll(async () => {
    scratch = await createScratchDatabase();
    fleet = new Fleet(scratch.url);
    streaming = fleet.add('watch-stream', { REALMGATE_SOCKET: socketPath });
    writing = fleet.add('watch-write');
    await fleet.startAll();
    relay = await new CuttableRelay(() => streaming.base).start();
    writer = client({ url: writing.base });
    await writer.realm().create();
  }, 180_000);

  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close()));
    await relay?.stop();
    try {
      await fleet?.close();
    } finally {
      await scratch?.drop();
      fs.rmSync(socketDir, { recursive: true, force: true });
    }
  }, 60_000);

  test('over TCP: connections destroyed twice mid-stream; the watcher has every event once, in order', async () => {
    const start = (await writeBatch()).revision;
    // what the watcher asked for and got: a stream each time, not pages
    const answered: string[] = [];
    const recording = async (request: Request) => {
      const response = await fetch(request);
      answered.push(`${request.headers.get('accept')} -> ${response.headers.get('content-type')}`);
      return response;
    };
    const watcher = follow(client({ url: relay.url, fetch: recording }), start);
    try {
      for (let round = 0; round < 3; round += 1) {
        for (let i = 0; i < 4; i += 1) await writeBatch();
        const expected = await logIds(start);
        await waitFor('the watcher to reach the log head', async () => watcher.ids.length >= expected.length, { fleet });
        if (round < 2) expect(relay.cut()).toBeGreaterThan(0);
      }
      const expected = await logIds(start);
      expect(expected.length).toBeGreaterThanOrEqual(12 * 4);
      expect(watcher.ids).toEqual(expected);
      expect(answered.length).toBeGreaterThanOrEqual(3);
      expect(new Set(answered)).toEqual(new Set(['text/event-stream -> text/event-stream; charset=utf-8']));
    } finally {
      await watcher.stop();
    }
  }, 120_000);

  test('over the Unix socket: the streaming sidecar is killed and restarted while the other writes; no gap, no repeat', async () => {
    const start = (await writeBatch()).revision;
    const watcher = follow(client({ socketPath }), start);
    try {
      for (let i = 0; i < 3; i += 1) await writeBatch();
      await waitFor('the first events', async () => watcher.ids.length >= 9, { fleet });
      await streaming.kill9();
      for (let i = 0; i < 5; i += 1) await writeBatch();
      await streaming.start();
      for (let i = 0; i < 2; i += 1) await writeBatch();
      const expected = await logIds(start);
      await waitFor('the watcher to reach the log head', async () => watcher.ids.length >= expected.length, { fleet, timeoutMs: 30_000 });
      expect(watcher.ids).toEqual(expected);
      expect(new Set(watcher.ids).size).toBe(watcher.ids.length);
    } finally {
      await watcher.stop();
    }
  }, 120_000);
});
