import request from 'supertest';
import { Realmgate, SessionClock } from '@realmgate/client';
import { createOrdersApp, ensureRealm } from '../../examples/express-app/src/app';
import { Fleet, FLEET_TOKEN, type Sidecar } from '../support/fleet';
import { createScratchDatabase, describeWithPostgres } from '../support/postgres';

/**
 * The example orders app, using the built @realmgate/client package, against two real sidecars:
 * checks through one, membership writes through the other, one session clock between them.
 */
describeWithPostgres('examples/express-app against real sidecars', () => {
  let scratch: Awaited<ReturnType<typeof createScratchDatabase>>;
  let fleet: Fleet;
  let writes: Sidecar;
  let local: Sidecar;
  let app: ReturnType<typeof createOrdersApp>;

  beforeAll(async () => {
    scratch = await createScratchDatabase();
    fleet = new Fleet(scratch.url);
    writes = fleet.add('example-writes');
    local = fleet.add('example-local', { REALMGATE_POLL_MS: '60000' });
    await fleet.startAll();
    const clock = new SessionClock();
    const checks = new Realmgate({ url: local.base, token: FLEET_TOKEN, realm: 'shop', clock });
    const management = new Realmgate({ url: writes.base, token: FLEET_TOKEN, realm: 'shop', clock });
    await ensureRealm(management);
    await management.realm().putMembership({ user: 'olga', org: 'eng', roles: ['owner'] });
    app = createOrdersApp({ checks, management });
  }, 180_000);

  afterAll(async () => {
    try {
      await fleet?.close();
    } finally {
      await scratch?.drop();
    }
  }, 60_000);

  test('an owner lists and creates orders in her org, not in another', async () => {
    expect((await request(app).get('/orgs/eng/orders').set('x-user', 'olga')).body).toEqual({ orders: [] });
    const created = await request(app).post('/orgs/eng/orders').set('x-user', 'olga').send({ item: 'paper', quantity: 3 });
    expect(created.status).toBe(201);
    expect((await request(app).get('/orgs/eng/orders').set('x-user', 'olga')).body.orders).toHaveLength(1);
    const elsewhere = await request(app).get('/orgs/ops/orders').set('x-user', 'olga');
    expect(elsewhere.status).toBe(403);
    expect(elsewhere.body.error.reason).toBe('unknown_org');
  });

  test('no identity is a 401; an unknown user a 403 with the reason', async () => {
    expect((await request(app).get('/orgs/eng/orders')).status).toBe(401);
    const stranger = await request(app).get('/orgs/eng/orders').set('x-user', 'mallory');
    expect(stranger.status).toBe(403);
    expect(stranger.body.error).toMatchObject({ code: 'forbidden', reason: 'unknown_user' });
  });

  test('inviting a member writes through one sidecar and reads the effect through the other at once', async () => {
    for (let i = 0; i < 5; i += 1) {
      const invited = await request(app).post('/orgs/eng/members').set('x-user', 'olga').send({ user: `viewer${i}`, role: 'viewer' });
      expect(invited.status).toBe(201);
      expect(invited.body.canReadOrders).toBe(true);
      expect(invited.body.checkedAtRevision).toBeGreaterThanOrEqual(invited.body.revision);
      expect((await request(app).get('/orgs/eng/orders').set('x-user', `viewer${i}`)).status).toBe(200);
    }
    const denied = await request(app).post('/orgs/eng/orders').set('x-user', 'viewer0').send({ item: 'pens', quantity: 1 });
    expect(denied.status).toBe(403);
    expect(denied.body.error).toMatchObject({ reason: 'no_grant', permission: 'orders:write' });
    expect((await request(app).post('/orgs/eng/members').set('x-user', 'viewer0').send({ user: 'x', role: 'owner' })).status).toBe(403);
  });

  test('deleting an order takes orders:cancel or orders:write (anyOf)', async () => {
    const created = await request(app).post('/orgs/eng/orders').set('x-user', 'olga').send({ item: 'ink', quantity: 1 });
    expect((await request(app).delete(`/orgs/eng/orders/${created.body.id}`).set('x-user', 'viewer1')).status).toBe(403);
    expect((await request(app).delete(`/orgs/eng/orders/${created.body.id}`).set('x-user', 'olga')).status).toBe(200);
  });

  test('with its sidecar gone, the app answers 503 and never serves the orders', async () => {
    await local.kill9();
    const res = await request(app).get('/orgs/eng/orders').set('x-user', 'olga');
    expect(res.status).toBe(503);
    expect(res.body.error.code).toBe('authorization_unavailable');
    expect(res.body).not.toHaveProperty('orders');
  });
});
