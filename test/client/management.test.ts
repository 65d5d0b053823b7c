import { Realmgate } from '../../packages/client/src/index';
import { FakeServer, notReady } from './fakeServer';

/**
 * Tokens, webhooks and dry runs through realm(name), against a fake realmgate over real HTTP:
 * the method, URL and body each sends, what it answers, which writes move the session clock and
 * which calls may be sent twice.
 */
let server: FakeServer;
beforeEach(async () => {
  server = await new FakeServer().start();
});
afterEach(() => server.stop());

const client = () => new Realmgate({ url: server.url, realm: 'acme', token: 't0ken', retry: { baseDelayMs: 5, maxDelayMs: 20 } });
const sent = () => server.requests.map((r) => `${r.method} ${r.url}`);
const TOKEN_ID = '7b0d3c2e-8a4f-4f7e-9a51-2f0b7c1d9e10';
const token = { id: TOKEN_ID, name: 'ci', scopes: ['check', 'read'], createdAt: '2026-01-01T00:00:00.000Z', expiresAt: null };
const webhook = { id: 'wh_1', realm: 'acme', url: 'https://hooks.example/rg', events: ['membership.*'], description: null, enabled: true, createdAt: '2026-01-01T00:00:00.000Z', updatedAt: '2026-01-01T00:00:00.000Z' };
const dryRun = { dryRun: true, revision: 8, changes: { created: 1, updated: 0, deleted: 2 }, effect: { granted: [], revoked: [{ user: 'bob', org: 'eng', permission: 'x' }], grantedCount: 0, revokedCount: 1 }, truncated: false };

describe('tokens', () => {
  test('create, list, get and revoke send the realm and id; the revocation moves the session clock', async () => {
    server.answer({ status: 201, body: { ...token, token: `rgt_${'a'.repeat(43)}` } }, { body: { tokens: [token] } }, { body: token });
    const c = client();
    const tokens = c.realm().tokens;
    const created = await tokens.create({ name: 'ci', scopes: ['check', 'read'] });
    expect(created.token).toMatch(/^rgt_/);
    expect(server.requests[0].body).toEqual({ name: 'ci', scopes: ['check', 'read'] });
    expect(await tokens.list()).toEqual([token]);
    expect(await tokens.get(TOKEN_ID)).toEqual(token);
    server.answer({ body: { revision: 12 } });
    expect(await c.realm('other').tokens.revoke(TOKEN_ID)).toEqual({ revision: 12 });
    expect(c.revision).toBe(12);
    expect(sent()).toEqual([
      'POST /v1/realms/acme/tokens',
      'GET /v1/realms/acme/tokens',
      `GET /v1/realms/acme/tokens/${TOKEN_ID}`,
      `DELETE /v1/realms/other/tokens/${TOKEN_ID}`,
    ]);
  });

  test('creating a token is not sent twice after a dropped connection (a second secret would be made)', async () => {
    server.answer('reset');
    await expect(client().realm().tokens.create({ name: 'ci', scopes: ['read'] })).rejects.toMatchObject({ code: 'network_error' });
    expect(server.requests).toHaveLength(1);
  });
});

describe('webhooks', () => {
  test('every call reaches its route with its body and answers the typed record', async () => {
    const hooks = client().realm().webhooks;
    const delivery = { id: '41', webhookId: 'wh_1', eventId: '3.1', eventType: 'org.created', revision: 3, status: 'failed', attempts: 8, lastStatusCode: 500, lastError: null, lastAttemptAt: null, nextAttemptAt: null, deliveredAt: null, createdAt: '2026-01-01T00:00:00.000Z', event: {} };
    server.answer(
      { status: 201, body: { ...webhook, secret: 'whsec_abc=' } },
      { body: { webhooks: [webhook] } },
      { body: webhook },
      { body: { ...webhook, enabled: false } },
      { body: { id: 'wh_1', secret: 'whsec_new=', previousSecretExpiresAt: '2026-01-02T00:00:00.000Z' } },
      { body: { deliveries: [delivery] } },
      { status: 202, body: { ...delivery, status: 'pending', attempts: 0 } },
      { body: { id: 'wh_1', deleted: true } },
    );
    expect((await hooks.create({ url: 'https://hooks.example/rg', events: ['membership.*'] })).secret).toBe('whsec_abc=');
    expect(await hooks.list()).toEqual([webhook]);
    expect(await hooks.get('wh_1')).toEqual(webhook);
    expect((await hooks.update('wh_1', { enabled: false })).enabled).toBe(false);
    expect((await hooks.rotateSecret('wh_1')).secret).toBe('whsec_new=');
    expect((await hooks.deliveries('wh_1', { status: 'failed', limit: 10 }))[0].attempts).toBe(8);
    expect((await hooks.retryDelivery('wh_1', '41')).status).toBe('pending');
    expect(await hooks.delete('wh_1')).toEqual({ id: 'wh_1', deleted: true });
    expect(sent()).toEqual([
      'POST /v1/realms/acme/webhooks',
      'GET /v1/realms/acme/webhooks',
      'GET /v1/realms/acme/webhooks/wh_1',
      'PATCH /v1/realms/acme/webhooks/wh_1',
      'POST /v1/realms/acme/webhooks/wh_1/rotate-secret',
      'GET /v1/realms/acme/webhooks/wh_1/deliveries?status=failed&limit=10',
      'POST /v1/realms/acme/webhooks/wh_1/deliveries/41/retry',
      'DELETE /v1/realms/acme/webhooks/wh_1',
    ]);
    expect(server.requests[0].body).toEqual({ url: 'https://hooks.example/rg', events: ['membership.*'] });
    expect(server.requests[3].body).toEqual({ enabled: false });
  });

  test('rotating a secret is not retried on a dropped connection; reading one is, after a 503', async () => {
    server.answer('reset');
    await expect(client().realm().webhooks.rotateSecret('wh_1')).rejects.toMatchObject({ code: 'network_error' });
    server.answer(notReady(), { body: webhook });
    expect(await client().realm().webhooks.get('wh_1')).toEqual(webhook);
    expect(server.requests).toHaveLength(3);
  });

  test('an unknown webhook is a typed 404', async () => {
    server.answer({ status: 404, body: { error: { code: 'webhook_not_found', message: 'no webhook wh_2' } } });
    await expect(client().realm().webhooks.get('wh_2')).rejects.toMatchObject({ status: 404, code: 'webhook_not_found', retryable: false });
  });
});

describe('dry runs', () => {
  test('sync, batch, putRole and deleteRole with {dryRun: true} ask for dryRun and answer what would change', async () => {
    server.fallback = () => ({ body: dryRun });
    const c = client();
    const realm = c.realm();
    expect(await realm.sync([{ user: 'alice', org: 'eng', permissions: ['x'] }], { org: 'eng' }, { dryRun: true, limit: 5 })).toEqual(dryRun);
    expect((await realm.batch({ delete: [{ user: 'bob', org: 'eng' }] }, { dryRun: true })).effect.revokedCount).toBe(1);
    expect((await realm.putRole('clerk', ['orders:*'], { dryRun: true })).changes.created).toBe(1);
    expect((await realm.deleteRole('clerk', { dryRun: true })).dryRun).toBe(true);
    expect(sent()).toEqual([
      'PUT /v1/realms/acme/memberships?org=eng&dryRun=true&limit=5',
      'POST /v1/realms/acme/memberships/batch?dryRun=true',
      'PUT /v1/realms/acme/roles/clerk?dryRun=true',
      'DELETE /v1/realms/acme/roles/clerk?dryRun=true',
    ]);
    // nothing was written, so nothing moves the session clock
    expect(c.revision).toBe(0);
  });

  test('a dry-run sync writes nothing, so it may be sent again after a dropped connection; a real one may not', async () => {
    server.answer('reset', { body: dryRun });
    expect(await client().realm().sync([], {}, { dryRun: true })).toEqual(dryRun);
    expect(server.requests).toHaveLength(2);
    server.answer('reset');
    await expect(client().realm().sync([])).rejects.toMatchObject({ code: 'network_error' });
    expect(server.requests).toHaveLength(3);
    expect(server.requests[2].url).toBe('/v1/realms/acme/memberships');
  });
});

describe('who the token is, and the realms served', () => {
  test('whoami() and state() send GET /v1/whoami and GET /v1/state with the token, and answer their bodies', async () => {
    const who = { kind: 'realm', realm: 'acme', scopes: ['check', 'read'], tokenId: TOKEN_ID, name: 'ci', expiresAt: null };
    const state = { revision: 4, realms: ['acme', 'beta'], memberships: 3, digest: 'a'.repeat(64) };
    server.answer({ body: who }, { body: state });
    const c = client();
    expect(await c.whoami()).toEqual(who);
    expect(await c.state()).toEqual(state);
    expect(sent()).toEqual(['GET /v1/whoami', 'GET /v1/state']);
    expect(server.requests.map((r) => r.headers.authorization)).toEqual(['Bearer t0ken', 'Bearer t0ken']);
    expect(c.revision).toBe(0);
  });
});
