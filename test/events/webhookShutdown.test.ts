import { Receiver } from '../support/receiver';
import { startHarness, type Harness } from '../support/harness';

let h: Harness;
let receiver: Receiver;

beforeAll(async () => {
  h = await startHarness({ env: { REALMGATE_WEBHOOK_ALLOW_PRIVATE: 'true', REALMGATE_WEBHOOK_TIMEOUT_MS: '60000', REALMGATE_POLL_MS: '200' } });
  receiver = await Receiver.start();
}, 120_000);
afterAll(async () => {
  await receiver?.close();
  await h?.close();
});

test('shutdown does not wait for a receiver that is slow to answer; the cut delivery is not counted as an attempt', async () => {
  await h.admin.put('/v1/realms/slowhook').expect(201);
  const hook = (await h.admin.post('/v1/realms/slowhook/webhooks', { url: receiver.url }).expect(201)).body;
  receiver.respond = () => ({ status: 200, hangMs: 55_000 });
  await h.admin.put('/v1/realms/slowhook/orgs/o1').expect(201);
  await receiver.waitFor((r) => r.some((x) => x.event.realm === 'slowhook'));

  const started = Date.now();
  await h.runtime.webhooks.stop();
  expect(Date.now() - started).toBeLessThan(5_000);

  const rows = await h.runtime.deps.db.prisma.webhookDelivery.findMany({ where: { webhookId: hook.id } });
  expect(rows.map((d) => ({ type: d.eventType, status: d.status, attempts: d.attempts }))).toEqual([{ type: 'org.created', status: 'pending', attempts: 0 }]);
});
