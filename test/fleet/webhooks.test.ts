import { describeWithPostgres, createScratchDatabase } from '../support/postgres';
import { Fleet, type Sidecar } from '../support/fleet';
import { Receiver } from '../support/receiver';

/**
 * Webhook delivery with real sidecar processes on one PostgreSQL database: a sidecar killed with
 * SIGKILL between a commit and its delivery, and while a delivery waits for its retry, delivers
 * after a restart; two sidecars deliver every event of a stream of writes made through both.
 */
describeWithPostgres('fleet: webhook durability', () => {
  let scratch: Awaited<ReturnType<typeof createScratchDatabase>>;
  let fleet: Fleet;
  let receiver: Receiver;
  let a: Sidecar;
  let b: Sidecar;
  const env = {
    REALMGATE_WEBHOOK_ALLOW_PRIVATE: 'true',
    REALMGATE_WEBHOOK_RETRY_SCHEDULE: '0,1s,1s,1s,1s,1s',
    REALMGATE_WEBHOOK_TIMEOUT_MS: '1000',
    REALMGATE_POLL_MS: '200',
  };

  beforeAll(async () => {
    scratch = await createScratchDatabase();
    receiver = await Receiver.start();
    fleet = new Fleet(scratch.url);
    a = fleet.add('hooks-a', env);
    b = fleet.add('hooks-b', env);
    await a.start();
  }, 180_000);

  afterAll(async () => {
    try {
      await fleet?.close();
      await receiver?.close();
    } finally {
      await scratch?.drop();
    }
  });

  const subscribe = async (realm: string) => {
    expect((await a.put(`/v1/realms/${realm}`)).status).toBe(201);
    const res = await a.request('POST', `/v1/realms/${realm}/webhooks`, { url: receiver.url });
    expect(res.status).toBe(201);
    return res.body as { id: string; secret: string };
  };
  const inRealm = (realm: string) => receiver.received.filter((r) => r.event.realm === realm);

  test('killed between commit and delivery, the event arrives after the restart', async () => {
    const hook = await subscribe('crash1');
    let restarted = false;
    // until the restart, the receiver holds every request without answering
    receiver.respond = () => (restarted ? { status: 200 } : { status: 200, hangMs: 30_000 });
    const write = await a.put('/v1/realms/crash1/orgs/o1');
    expect(write.status).toBe(201);
    await a.kill9();
    restarted = true;
    await a.start();
    const got = await receiver.waitFor((r) => r.some((x) => x.event.realm === 'crash1' && x.status === 200), 60_000);
    const delivered = got.filter((x) => x.event.realm === 'crash1' && x.status === 200);
    expect(delivered[0].event).toMatchObject({ type: 'org.created', revision: write.body.revision, data: { org: 'o1' } });
    expect(Receiver.verify(hook.secret, delivered[0])).toEqual(delivered[0].event);
  }, 120_000);

  test('killed while a delivery waits for its retry, the retry comes from the restarted sidecar', async () => {
    await subscribe('crash2');
    let restarted = false;
    receiver.respond = (r) => ({ status: r.event.realm === 'crash2' && !restarted ? 500 : 200 });
    await a.put('/v1/realms/crash2/orgs/o1');
    await receiver.waitFor(() => inRealm('crash2').length >= 1, 30_000);
    await a.kill9();
    restarted = true;
    await a.start();
    await receiver.waitFor(() => inRealm('crash2').some((x) => x.status === 200), 60_000);
    const attempts = inRealm('crash2');
    expect(attempts[0].status).toBe(500);
    expect(new Set(attempts.map((x) => x.id)).size).toBe(1);
  }, 120_000);

  test('two sidecars on one database: every event arrives, in order; duplicates are counted', async () => {
    await b.start();
    await subscribe('pair');
    receiver.respond = () => ({ status: 200 });
    const writes = 60;
    const revisions: number[] = [];
    for (let i = 0; i < writes; i += 1) {
      const res = await (i % 2 === 0 ? a : b).put(`/v1/realms/pair/orgs/o${i}`);
      expect(res.status).toBe(201);
      revisions.push(res.body.revision);
    }
    await receiver.waitFor(() => new Set(inRealm('pair').map((x) => x.id)).size >= writes, 60_000);
    const got = inRealm('pair');
    const ids = got.map((x) => x.id);
    const duplicates = ids.length - new Set(ids).size;
    console.log(`two sidecars: ${writes} events, ${ids.length} deliveries, ${duplicates} duplicate(s)`);
    expect(new Set(got.map((x) => x.event.revision))).toEqual(new Set(revisions));
    const firstSeen = got.filter((x, i) => ids.indexOf(x.id) === i).map((x) => x.event.revision);
    expect(firstSeen).toEqual([...firstSeen].sort((p, q) => p - q));
  }, 180_000);

  test('two sidecars, one batch of many events: each arrives once and in order, several on their way at once', async () => {
    if (!b.running) await b.start();
    await subscribe('pairbatch');
    receiver.respond = () => ({ status: 200, delayMs: 1 });
    receiver.maxOpen = 0;
    const n = 200;
    const upsert = Array.from({ length: n }, (_, i) => ({ user: `u${i}`, org: 'o1', permissions: ['a'] }));
    const res = await b.request('POST', '/v1/realms/pairbatch/memberships/batch', { upsert });
    expect(res.status).toBe(200);
    const prefix = `${res.body.revision}.`;
    const ofBatch = () => receiver.arrivals.filter((id) => id.startsWith(prefix));
    await receiver.waitFor(() => new Set(ofBatch()).size >= n * 2 + 1, 60_000);
    // the batch's events: org.created, then user.created and membership.created per membership
    const ids = ofBatch();
    expect(ids).toHaveLength(n * 2 + 1);
    const seq = ids.map((id) => Number(id.slice(prefix.length)));
    expect(seq).toEqual(Array.from({ length: n * 2 + 1 }, (_, i) => i + 1));
    expect(receiver.maxOpen).toBeGreaterThan(1);
  }, 180_000);

  test('killed in the middle of a batch with requests on their way, every event arrives after the restart, first sightings in order', async () => {
    await subscribe('crash3');
    receiver.respond = () => ({ status: 200, delayMs: 10 });
    const n = 150;
    const upsert = Array.from({ length: n }, (_, i) => ({ user: `u${i}`, org: 'o1', permissions: ['a'] }));
    const res = await a.request('POST', '/v1/realms/crash3/memberships/batch', { upsert });
    expect(res.status).toBe(200);
    const prefix = `${res.body.revision}.`;
    const answered = () => receiver.received.filter((r) => r.id.startsWith(prefix) && r.status === 200).map((r) => r.id);
    await receiver.waitFor(() => answered().length >= 30, 60_000);
    await a.kill9();
    expect(new Set(answered()).size).toBeLessThan(n * 2 + 1);
    await a.start();
    await receiver.waitFor(() => new Set(answered()).size >= n * 2 + 1, 90_000);
    const firstSeen = [...new Set(receiver.arrivals.filter((id) => id.startsWith(prefix)))].map((id) => Number(id.slice(prefix.length)));
    expect(firstSeen).toEqual(Array.from({ length: n * 2 + 1 }, (_, i) => i + 1));
  }, 180_000);
});
