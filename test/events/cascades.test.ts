import { Receiver } from '../support/receiver';
import { startHarness, type Harness } from '../support/harness';

let h: Harness;
let receiver: Receiver;

beforeAll(async () => {
  h = await startHarness({ env: { REALMGATE_WEBHOOK_ALLOW_PRIVATE: 'true', REALMGATE_POLL_MS: '200' } });
  receiver = await Receiver.start();
}, 120_000);
afterAll(async () => {
  await receiver?.close();
  await h?.close();
});

const label = (e: { type: string; data: Record<string, any> }) =>
  `${e.type}${e.data.reason ? `:${e.data.reason}` : ''} ${[e.data.user, e.data.org].filter(Boolean).join('@')}`.trim();

async function changes(realm: string, after: number) {
  return (await h.admin.get(`/v1/realms/${realm}/changes?after=${after}`).expect(200)).body as { events: any[]; next: number };
}

async function head(realm: string): Promise<number> {
  return (await h.admin.get(`/v1/realms/${realm}`).expect(200)).body.revision;
}

describe('deleting a container deletes its memberships, one membership.deleted each', () => {
  test('an org: membership.deleted (org_deleted) for each of its memberships, then org.deleted, in /changes and to webhooks', async () => {
    await h.admin.put('/v1/realms/orgdel').expect(201);
    await h.admin.put('/v1/realms/orgdel/users/ann/memberships/acme', { permissions: ['a'] }).expect(201);
    await h.admin.put('/v1/realms/orgdel/users/bo/memberships/acme', { permissions: ['b'] }).expect(201);
    await h.admin.put('/v1/realms/orgdel/users/bo/memberships/other', { permissions: ['c'] }).expect(201);
    await h.admin.post('/v1/realms/orgdel/webhooks', { url: receiver.url }).expect(201);
    const before = await head('orgdel');

    const { revision } = (await h.admin.delete('/v1/realms/orgdel/orgs/acme').expect(200)).body;
    const polled = await changes('orgdel', before);
    expect(polled.events.map(label)).toEqual(['membership.deleted:org_deleted ann@acme', 'membership.deleted:org_deleted bo@acme', 'org.deleted acme']);
    for (const e of polled.events) expect(e).toMatchObject({ realm: 'orgdel', revision });
    expect(polled.events[0].data).toMatchObject({ permissions: ['a'] });
    expect(new Set(polled.events.map((e) => e.id)).size).toBe(3);

    const pushed = await receiver.waitFor((r) => r.filter((x) => x.event.realm === 'orgdel').length >= 3);
    expect(pushed.filter((x) => x.event.realm === 'orgdel').map((x) => x.event)).toEqual(polled.events);
  });

  test('a realm: membership.deleted (realm_deleted) for each membership, then realm.deleted; its history stays readable', async () => {
    await h.admin.put('/v1/realms/realmdel').expect(201);
    await h.admin.put('/v1/realms/realmdel/users/ann/memberships/acme', { permissions: ['a'] }).expect(201);
    await h.admin.post('/v1/realms/realmdel/memberships/batch', { upsert: [{ user: 'ann', org: null, permissions: ['r'] }] }).expect(200);
    const before = await head('realmdel');

    const { revision } = (await h.admin.delete('/v1/realms/realmdel').expect(200)).body;
    const polled = await changes('realmdel', before);
    expect(polled.events.map(label).sort()).toEqual(['membership.deleted:realm_deleted ann', 'membership.deleted:realm_deleted ann@acme', 'realm.deleted'].sort());
    expect(polled.events[polled.events.length - 1].type).toBe('realm.deleted');
    for (const e of polled.events) expect(e).toMatchObject({ realm: 'realmdel', revision });
    expect(polled.next).toBe(revision);
  });
});

describe('a rolled-back write yields no events', () => {
  test('a batch refused with 422 after part of it was planned: no revision, no /changes entry, no delivery', async () => {
    await h.admin.put('/v1/realms/rollback').expect(201);
    await h.admin.put('/v1/realms/rollback/roles/member', { permissions: ['docs:read'] }).expect(201);
    await h.admin.post('/v1/realms/rollback/webhooks', { url: receiver.url }).expect(201);
    const before = await head('rollback');

    const refused = await h.admin
      .post('/v1/realms/rollback/memberships/batch', {
        upsert: [
          { user: 'ann', org: 'acme', roles: ['member'] },
          { user: 'bo', org: 'newco', permissions: ['x'] },
          { user: 'cy', org: 'acme', roles: ['member', 'ghost'] },
        ],
      })
      .expect(422);
    expect(refused.body.error).toMatchObject({ code: 'unknown_role', field: 'upsert[2].roles[1]' });
    expect(await head('rollback')).toBe(before);
    expect((await changes('rollback', before)).events).toEqual([]);

    // a later write is delivered, and it is the first thing this realm's webhook receives
    await h.admin.put('/v1/realms/rollback/orgs/witness').expect(201);
    const got = await receiver.waitFor((r) => r.some((x) => x.event.realm === 'rollback'));
    expect(got.filter((x) => x.event.realm === 'rollback').map((x) => label(x.event))).toEqual(['org.created witness']);
    expect((await changes('rollback', before)).events.map(label)).toEqual(['org.created witness']);
  });
});
