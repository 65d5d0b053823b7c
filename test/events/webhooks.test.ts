import { Receiver, type Received } from '../support/receiver';
import { startHarness, type Harness } from '../support/harness';
import { parseWebhookUrl } from '../../src/services/webhookInput';

let h: Harness;
let receiver: Receiver;

beforeAll(async () => {
  h = await startHarness({
    env: {
      REALMGATE_WEBHOOK_ALLOW_PRIVATE: 'true',
      REALMGATE_WEBHOOK_RETRY_SCHEDULE: '0,300ms,300ms',
      REALMGATE_WEBHOOK_TIMEOUT_MS: '2500',
      REALMGATE_POLL_MS: '200',
    },
  });
  receiver = await Receiver.start();
}, 120_000);
afterAll(async () => {
  await receiver?.close();
  await h?.close();
});
beforeEach(() => {
  receiver.respond = () => ({ status: 200 });
});

/** A realm of its own with a webhook to the receiver; answers the secret and the webhook. */
async function subscribe(realm: string, body: Record<string, unknown> = {}) {
  await h.admin.put(`/v1/realms/${realm}`).expect(201);
  const res = await h.admin.post(`/v1/realms/${realm}/webhooks`, { url: receiver.url, ...body }).expect(201);
  return res.body as { id: string; secret: string; events: string[]; enabled: boolean };
}

const inRealm = (realm: string) => (r: Received[]) => r.filter((x) => x.event.realm === realm);

/** Polls an API read until it satisfies the check: for outcomes that are recorded after the receiver answered. */
async function eventually<T>(read: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await read();
    if (ok(v)) return v;
    if (Date.now() > deadline) throw new Error(`not reached within ${timeoutMs} ms: ${JSON.stringify(v)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const deliveries = async (realm: string, id: string, status?: string) =>
  (await h.admin.get(`/v1/realms/${realm}/webhooks/${id}/deliveries${status ? `?status=${status}` : ''}`).expect(200)).body.deliveries as any[];

describe('webhook deliveries', () => {
  test('every delivery is one event per POST, in revision order, and verifies with standardwebhooks', async () => {
    const hook = await subscribe('sig');
    expect(hook.secret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
    expect(hook.events).toEqual(['*']);
    await h.admin.put('/v1/realms/sig/roles/viewer', { permissions: ['docs:read'] }).expect(201);
    await h.admin.put('/v1/realms/sig/users/ann/memberships/acme', { roles: ['viewer'] }).expect(201);
    await h.admin.put('/v1/realms/sig/users/ann/memberships/acme', { roles: ['viewer'], permissions: ['x'] }).expect(200);
    const got = inRealm('sig')(await receiver.waitFor((r) => inRealm('sig')(r).length >= 5));
    expect(got.map((r) => r.event.type)).toEqual(['role.created', 'org.created', 'user.created', 'membership.created', 'membership.updated']);
    for (const r of got) {
      expect(Receiver.verify(hook.secret, r)).toEqual(r.event);
      expect(r.id).toBe(r.event.id);
      expect(r.signature).toMatch(/^v1,[A-Za-z0-9+/=]+$/);
    }
    const revisions = got.map((r) => r.event.revision);
    expect([...revisions].sort((a, b) => a - b)).toEqual(revisions);
    expect(got[4].event.previous).toMatchObject({ roles: ['viewer'], permissions: [] });
    expect(() => Receiver.verify('whsec_' + Buffer.alloc(32, 1).toString('base64'), got[0])).toThrow();
  });

  test('a batch of events reaches each endpoint in revision order, each event once, several requests on their way at once', async () => {
    // two endpoints of their own, so the order and the overlap seen are these webhooks' alone
    const first = await Receiver.start();
    const second = await Receiver.start();
    try {
      await h.admin.put('/v1/realms/bulk').expect(201);
      const hooks = [];
      for (const rx of [first, second]) {
        hooks.push((await h.admin.post('/v1/realms/bulk/webhooks', { url: rx.url, events: ['membership.created'] }).expect(201)).body);
      }
      // receivers that take a moment to answer, one of them unevenly: the next requests are already on their way
      first.respond = () => ({ status: 200, delayMs: 2 });
      second.respond = (r) => ({ status: 200, delayMs: Number(r.event.data.user.slice(1)) % 4 });
      const n = 300;
      const upsert = Array.from({ length: n }, (_, i) => ({ user: `u${i}`, org: 'o1', permissions: ['a'] }));
      const { revision } = (await h.admin.post('/v1/realms/bulk/memberships/batch', { upsert }).expect(200)).body;
      for (const [rx, hook] of [[first, hooks[0]], [second, hooks[1]]] as const) {
        await rx.waitFor((r) => r.length >= n, 60_000);
        // every event of the batch, in the order of the change (ids <revision>.<n>), none twice
        expect(rx.arrivals).toHaveLength(n);
        expect(new Set(rx.arrivals).size).toBe(n);
        const seq = rx.arrivals.map((id) => id.split('.').map(Number));
        expect(seq.every(([rev]) => rev === revision)).toBe(true);
        expect(seq.map(([, k]) => k)).toEqual([...seq.map(([, k]) => k)].sort((p, q) => p - q));
        expect(rx.received.map((r) => r.event.data.user).sort()).toEqual(upsert.map((u) => u.user).sort());
        expect(rx.maxOpen).toBeGreaterThan(1);
        const rows = await eventually(
          () => h.runtime.deps.db.prisma.webhookDelivery.findMany({ where: { webhookId: hook.id }, orderBy: { id: 'asc' } }),
          (l) => l.every((d) => d.status === 'delivered'),
        );
        expect(rows).toHaveLength(n);
        expect(rows.every((d) => d.attempts === 1 && d.lastStatusCode === 200)).toBe(true);
      }
    } finally {
      await first.close();
      await second.close();
    }
  });

  test('a receiver that drops its connection with requests on their way loses no event, and costs at most one attempt', async () => {
    const rx = await Receiver.start();
    try {
      await h.admin.put('/v1/realms/dropped').expect(201);
      const hook = (await h.admin.post('/v1/realms/dropped/webhooks', { url: rx.url, events: ['membership.created'] }).expect(201)).body;
      const n = 120;
      let dropped = false;
      rx.respond = (r) => {
        // once, well into the batch, while the next requests are on their way on the same connection
        if (!dropped && rx.maxOpen > 1 && Number(r.event.data.user.slice(1)) >= 60) {
          dropped = true;
          return { status: 0, drop: true };
        }
        return { status: 200, delayMs: 1 };
      };
      const upsert = Array.from({ length: n }, (_, i) => ({ user: `u${i}`, org: 'o1', permissions: ['a'] }));
      await h.admin.post('/v1/realms/dropped/memberships/batch', { upsert }).expect(200);
      await rx.waitFor((r) => new Set(r.filter((x) => x.status === 200).map((x) => x.id)).size >= n, 60_000);
      expect(dropped).toBe(true);
      const rows = await eventually(
        () => h.runtime.deps.db.prisma.webhookDelivery.findMany({ where: { webhookId: hook.id } }),
        (l) => l.length === n && l.every((d) => d.status === 'delivered'),
      );
      expect(rows.reduce((sum, d) => sum + d.attempts, 0)).toBeLessThanOrEqual(n + 1);
    } finally {
      await rx.close();
    }
  });

  test('a filter takes exact types and families; other events are not sent', async () => {
    const hook = await subscribe('filter', { events: ['membership.*', 'user.deleted'] });
    expect(hook.events).toEqual(['membership.*', 'user.deleted']);
    await h.admin.put('/v1/realms/filter/users/bo/memberships/acme', { permissions: ['a'] }).expect(201);
    await h.admin.delete('/v1/realms/filter/users/bo').expect(200);
    const got = await receiver.waitFor((r) => inRealm('filter')(r).length >= 3);
    expect(inRealm('filter')(got).map((r) => `${r.event.type}${r.event.data.reason ? `:${r.event.data.reason}` : ''}`)).toEqual([
      'membership.created',
      'membership.deleted:user_deleted',
      'user.deleted',
    ]);
  });

  test('500s are retried on the schedule with the same webhook-id until a 2xx', async () => {
    const hook = await subscribe('flaky');
    receiver.respond = (r, nth) => ({ status: r.event.realm === 'flaky' && nth < 2 ? 500 : 200 });
    await h.admin.put('/v1/realms/flaky/orgs/o1').expect(201);
    const got = inRealm('flaky')(await receiver.waitFor((r) => inRealm('flaky')(r).some((x) => x.status === 200)));
    expect(got.map((r) => r.status)).toEqual([500, 500, 200]);
    expect(new Set(got.map((r) => r.id)).size).toBe(1);
    expect(got[1].at - got[0].at).toBeGreaterThanOrEqual(250);
    const [d] = await eventually(() => deliveries('flaky', hook.id, 'delivered'), (l) => l.length === 1);
    expect(d).toMatchObject({ status: 'delivered', attempts: 3, lastStatusCode: 200, eventType: 'org.created', nextAttemptAt: null });
  });

  test('a receiver that does not answer within the timeout is tried again', async () => {
    await subscribe('slow');
    receiver.respond = (r, nth) => (r.event.realm === 'slow' && nth === 0 ? { status: 200, hangMs: 6_000 } : { status: 200 });
    await h.admin.put('/v1/realms/slow/orgs/o1').expect(201);
    const got = inRealm('slow')(await receiver.waitFor((r) => inRealm('slow')(r).length >= 2));
    expect(got[0].id).toBe(got[1].id);
    expect(got[1].at - got[0].at).toBeGreaterThanOrEqual(2_500);
  });

  test('Retry-After is honoured over a shorter schedule', async () => {
    await subscribe('later');
    receiver.respond = (r, nth) =>
      r.event.realm === 'later' && nth === 0 ? { status: 503, headers: { 'Retry-After': '2' } } : { status: 200 };
    await h.admin.put('/v1/realms/later/orgs/o1').expect(201);
    const got = inRealm('later')(await receiver.waitFor((r) => inRealm('later')(r).length >= 2));
    expect(got[1].at - got[0].at).toBeGreaterThanOrEqual(1_950);
  });

  test('a 410 disables the webhook and nothing more is sent to it', async () => {
    const hook = await subscribe('gone');
    receiver.respond = (r) => ({ status: r.event.realm === 'gone' ? 410 : 200 });
    await h.admin.put('/v1/realms/gone/orgs/o1').expect(201);
    await receiver.waitFor((r) => inRealm('gone')(r).length >= 1);
    const after = await eventually(
      async () => (await h.admin.get(`/v1/realms/gone/webhooks/${hook.id}`).expect(200)).body,
      (w) => w.enabled === false,
    );
    expect(after.enabled).toBe(false);
    expect((await deliveries('gone', hook.id, 'failed'))[0]).toMatchObject({ lastStatusCode: 410, attempts: 1 });
    // a later event, and a webhook that does receive it, prove the disabled one was passed over
    const witness = (await h.admin.post('/v1/realms/gone/webhooks', { url: receiver.url, events: ['org.created'] }).expect(201)).body;
    receiver.respond = () => ({ status: 200 });
    await h.admin.put('/v1/realms/gone/orgs/o2').expect(201);
    await receiver.waitFor((r) => inRealm('gone')(r).some((x) => x.event.data.org === 'o2'));
    expect(inRealm('gone')(receiver.received).filter((x) => x.event.data.org === 'o2')).toHaveLength(1);
    expect(witness.id).not.toBe(hook.id);
  });

  test('after the last attempt a delivery is failed, listed, and a retry delivers it', async () => {
    const hook = await subscribe('dead');
    let healthy = false;
    receiver.respond = (r) => ({ status: r.event.realm === 'dead' && !healthy ? 500 : 200 });
    await h.admin.put('/v1/realms/dead/orgs/o1').expect(201);
    await receiver.waitFor((r) => inRealm('dead')(r).length >= 3);
    const [failed] = await eventually(() => deliveries('dead', hook.id, 'failed'), (l) => l.length === 1);
    expect(failed).toMatchObject({ status: 'failed', attempts: 3, lastStatusCode: 500, nextAttemptAt: null, event: { type: 'org.created' } });
    expect(await deliveries('dead', hook.id, 'pending')).toEqual([]);

    healthy = true;
    const retried = await h.admin.post(`/v1/realms/dead/webhooks/${hook.id}/deliveries/${failed.id}/retry`).expect(202);
    expect(retried.body).toMatchObject({ id: failed.id, status: 'pending', attempts: 0 });
    const got = await receiver.waitFor((r) => inRealm('dead')(r).some((x) => x.status === 200));
    expect(inRealm('dead')(got).map((r) => r.status)).toEqual([500, 500, 500, 200]);
    await eventually(() => deliveries('dead', hook.id, 'delivered'), (l) => l.length === 1);
  });

  test('after a rotation deliveries carry both signatures, and each secret verifies them', async () => {
    const hook = await subscribe('rotate');
    const rotated = (await h.admin.post(`/v1/realms/rotate/webhooks/${hook.id}/rotate-secret`).expect(200)).body;
    expect(rotated.secret).not.toBe(hook.secret);
    expect(Date.parse(rotated.previousSecretExpiresAt) - Date.now()).toBeGreaterThan(23 * 3600 * 1000);
    await h.admin.put('/v1/realms/rotate/orgs/o1').expect(201);
    const [r] = inRealm('rotate')(await receiver.waitFor((x) => inRealm('rotate')(x).length >= 1));
    expect(r.signature.split(' ')).toHaveLength(2);
    expect(Receiver.verify(rotated.secret, r)).toEqual(r.event);
    expect(Receiver.verify(hook.secret, r)).toEqual(r.event);
  });

  test('the contractor: a membership expiring 2 s from now arrives as membership.deleted (expired) within 3 s of expiresAt', async () => {
    await subscribe('contract', { events: ['membership.deleted'] });
    const expiresAt = Date.now() + 2_000;
    await h.admin.put('/v1/realms/contract/users/con/memberships/acme', { permissions: ['repo:read'], expiresAt: new Date(expiresAt).toISOString() }).expect(201);
    const [r] = inRealm('contract')(await receiver.waitFor((x) => inRealm('contract')(x).length >= 1, 10_000));
    expect(r.event).toMatchObject({ type: 'membership.deleted', data: { user: 'con', org: 'acme', reason: 'expired', permissions: ['repo:read'] } });
    expect(r.at).toBeGreaterThanOrEqual(expiresAt);
    expect(r.at - expiresAt).toBeLessThanOrEqual(3_000);
  });
});

describe('a deleted realm', () => {
  test('its webhooks receive its last events, realm.deleted included, then are removed; a realm re-created under the name sends them nothing', async () => {
    const old = await subscribe('reborn');
    await h.admin.put('/v1/realms/reborn/users/ann/memberships/acme', { permissions: ['a'] }).expect(201);
    await h.admin.delete('/v1/realms/reborn').expect(200);
    const last = inRealm('reborn')(await receiver.waitFor((r) => inRealm('reborn')(r).some((x) => x.event.type === 'realm.deleted')));
    expect(last.map((r) => `${r.event.type}${r.event.data.reason ? `:${r.event.data.reason}` : ''}`)).toEqual([
      'org.created',
      'user.created',
      'membership.created',
      'membership.deleted:realm_deleted',
      'realm.deleted',
    ]);
    for (const r of last) expect(Receiver.verify(old.secret, r)).toEqual(r.event);
    const prisma = h.runtime.deps.db.prisma;
    await eventually(() => prisma.webhook.count({ where: { id: old.id } }), (n) => n === 0);
    expect(await prisma.webhookDelivery.count({ where: { webhookId: old.id } })).toBe(0);

    // another tenant takes the name: the old subscriber is not among its webhooks and hears none of it
    await h.admin.put('/v1/realms/reborn').expect(201);
    expect((await h.admin.get('/v1/realms/reborn/webhooks').expect(200)).body.webhooks).toEqual([]);
    await h.admin.get(`/v1/realms/reborn/webhooks/${old.id}`).expect(404);
    await h.admin.get(`/v1/realms/reborn/webhooks/${old.id}/deliveries`).expect(404);
    const witness = (await h.admin.post('/v1/realms/reborn/webhooks', { url: receiver.url, events: ['org.created'] }).expect(201)).body;
    await h.admin.put('/v1/realms/reborn/orgs/newco').expect(201);
    await receiver.waitFor((r) => r.some((x) => x.event.data.org === 'newco'));
    const newco = receiver.received.filter((x) => x.event.data.org === 'newco');
    expect(newco).toHaveLength(1);
    expect(Receiver.verify(witness.secret, newco[0])).toEqual(newco[0].event);
    expect(() => Receiver.verify(old.secret, newco[0])).toThrow();
  });

  test('a webhook of a deleted realm cannot be reached through the re-created realm before it is removed', async () => {
    receiver.respond = (r) => ({ status: r.event.realm === 'limbo' ? 500 : 200 });
    const old = await subscribe('limbo');
    await h.admin.delete('/v1/realms/limbo').expect(200);
    await h.admin.put('/v1/realms/limbo').expect(201);
    await h.admin.get(`/v1/realms/limbo/webhooks/${old.id}`).expect(404);
    await h.admin.patch(`/v1/realms/limbo/webhooks/${old.id}`, { enabled: true }).expect(404);
    await h.admin.post(`/v1/realms/limbo/webhooks/${old.id}/rotate-secret`).expect(404);
    await h.admin.delete(`/v1/realms/limbo/webhooks/${old.id}`).expect(404);
    expect((await h.admin.get('/v1/realms/limbo/webhooks').expect(200)).body.webhooks).toEqual([]);
  });
});

describe('webhook management', () => {
  test('the secret is in the creation answer only; list, get, patch and delete', async () => {
    const hook = await subscribe('crud', { description: 'billing' });
    const listed = (await h.admin.get('/v1/realms/crud/webhooks').expect(200)).body.webhooks;
    expect(listed).toEqual([expect.objectContaining({ id: hook.id, url: receiver.url, description: 'billing', enabled: true })]);
    expect(JSON.stringify(listed)).not.toContain('whsec_');
    const patched = (await h.admin.patch(`/v1/realms/crud/webhooks/${hook.id}`, { events: ['org.*'], enabled: false }).expect(200)).body;
    expect(patched).toMatchObject({ events: ['org.*'], enabled: false });
    expect(JSON.stringify(patched)).not.toContain('whsec_');
    await h.admin.get(`/v1/realms/other/webhooks/${hook.id}`).expect(404);
    await h.admin.delete(`/v1/realms/crud/webhooks/${hook.id}`).expect(200);
    const missing = await h.admin.get(`/v1/realms/crud/webhooks/${hook.id}`).expect(404);
    expect(missing.body.error.code).toBe('webhook_not_found');
  });

  test('bad input is a 400 naming the field', async () => {
    await h.admin.put('/v1/realms/bad').expect(201);
    const badType = await h.admin.post('/v1/realms/bad/webhooks', { url: receiver.url, events: ['membership.renamed'] }).expect(400);
    expect(badType.body.error.field).toBe('events[0]');
    const badUrl = await h.admin.post('/v1/realms/bad/webhooks', { url: 'ftp://example.com/x' }).expect(400);
    expect(badUrl.body.error.field).toBe('url');
    await h.admin.post('/v1/realms/nope/webhooks', { url: receiver.url }).expect(404);
    await h.http().post('/v1/realms/bad/webhooks').send({ url: receiver.url }).expect(401);
  });

  test.each([
    'http://127.0.0.1:8080/hook',
    'http://localhost/hook',
    'http://10.1.2.3/hook',
    'http://172.16.0.9/hook',
    'http://192.168.1.1/hook',
    'http://169.254.169.254/latest/meta-data',
    'http://[::1]/hook',
    'http://[fd00::1]/hook',
    'http://[::ffff:127.0.0.1]/hook',
    'http://0.0.0.0/hook',
    'http://0/hook',
    'http://2130706433/hook',
    'http://0177.0.0.1/hook',
    'http://0x7f.1/hook',
    'http://[::ffff:7f00:1]/hook',
    'http://[::127.0.0.1]/hook',
    'http://[::]/hook',
    'http://[64:ff9b::a00:1]/hook',
    'http://[fe80::1]/hook',
  ])('%s points into the sidecar network: refused unless allowed', async (url) => {
    await expect(parseWebhookUrl(url, false)).rejects.toMatchObject({ status: 400, field: 'url' });
    await expect(parseWebhookUrl(url, true)).resolves.toBe(new URL(url).toString());
  });

  test('a public address is accepted', async () => {
    await expect(parseWebhookUrl('https://93.184.215.14/hook', false)).resolves.toBe('https://93.184.215.14/hook');
  });
});
