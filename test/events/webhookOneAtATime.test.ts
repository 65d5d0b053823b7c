import { Receiver } from '../support/receiver';
import { startHarness, type Harness } from '../support/harness';

let h: Harness;
let receiver: Receiver;

beforeAll(async () => {
  h = await startHarness({ env: { REALMGATE_WEBHOOK_ALLOW_PRIVATE: 'true', REALMGATE_WEBHOOK_PIPELINE: '1', REALMGATE_POLL_MS: '200' } });
  receiver = await Receiver.start();
}, 120_000);
afterAll(async () => {
  await receiver?.close();
  await h?.close();
});

test("with REALMGATE_WEBHOOK_PIPELINE=1 each event is sent after the previous one's answer, in order", async () => {
  await h.admin.put('/v1/realms/serial').expect(201);
  await h.admin.post('/v1/realms/serial/webhooks', { url: receiver.url, events: ['membership.created'] }).expect(201);
  receiver.respond = () => ({ status: 200, delayMs: 2 });
  const n = 60;
  const upsert = Array.from({ length: n }, (_, i) => ({ user: `u${i}`, org: 'o1', permissions: ['a'] }));
  const { revision } = (await h.admin.post('/v1/realms/serial/memberships/batch', { upsert }).expect(200)).body;
  await receiver.waitFor((r) => r.length >= n, 60_000);
  expect(receiver.maxOpen).toBe(1);
  const seq = receiver.arrivals.map((id) => id.split('.').map(Number));
  expect(seq.every(([rev]) => rev === revision)).toBe(true);
  expect(seq.map(([, k]) => k)).toEqual([...seq.map(([, k]) => k)].sort((p, q) => p - q));
  expect(new Set(receiver.arrivals).size).toBe(n);
});
