import { startHarness, type Harness } from '../support/harness';
import { expectError } from './apiErrors';

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});

afterAll(() => h.close());

const check = async (realm: string, subject: string, org: string | null, permission: string) =>
  (await h.http().post('/v1/check').send({ realm, subject, org, permission }).expect(200)).body;
const summary = async (realm: string) => (await h.admin.get(`/v1/realms/${realm}`).expect(200)).body;
const head = async () => (await h.http().get('/readyz').expect(200)).body.revision as number;

describe('realms', () => {
  test('PUT creates a realm with 201, a second PUT is 200 created:false at the same revision', async () => {
    const first = await h.admin.put('/v1/realms/r1').expect(201);
    expect(first.body).toEqual({ revision: expect.any(Number), created: true });
    const again = await h.admin.put('/v1/realms/r1').expect(200);
    expect(again.body).toEqual({ revision: first.body.revision, created: false });
    expect(await head()).toBe(first.body.revision);
  });

  test('GET summarises a new realm as empty', async () => {
    const body = await summary('r1');
    expect(body).toEqual({
      realm: 'r1',
      createdAt: expect.any(String),
      orgs: 0,
      users: 0,
      memberships: 0,
      roles: [],
      revision: await head(),
    });
    expect(Date.parse(body.createdAt)).toBeLessThanOrEqual(Date.now());
  });

  test('GET counts orgs, users, memberships and lists roles by name', async () => {
    await h.admin.put('/v1/realms/r1/roles/writer', { permissions: ['Docs:Write', 'docs:read'] }).expect(201);
    await h.admin.put('/v1/realms/r1/roles/reader', { permissions: ['docs:read'] }).expect(201);
    await h.admin.put('/v1/realms/r1/users/ann/memberships/o1', { roles: ['reader'] }).expect(201);
    await h.admin.put('/v1/realms/r1/users/ann/membership', { permissions: ['x'] }).expect(201);
    await h.admin.put('/v1/realms/r1/users/ben').expect(201);
    await h.admin.put('/v1/realms/r1/orgs/o2').expect(201);
    expect(await summary('r1')).toMatchObject({
      orgs: 2,
      users: 2,
      memberships: 2,
      roles: [
        { name: 'reader', permissions: ['docs:read'] },
        { name: 'writer', permissions: ['docs:write', 'docs:read'] },
      ],
    });
  });

  test('DELETE removes everything in the realm: checks say unknown_realm, reads are 404', async () => {
    expect((await check('r1', 'ann', 'o1', 'docs:read')).allowed).toBe(true);
    const before = await head();
    const res = await h.admin.delete('/v1/realms/r1').expect(200);
    expect(res.body).toEqual({ revision: before + 1 });
    expect(await check('r1', 'ann', 'o1', 'docs:read')).toMatchObject({ allowed: false, reason: 'unknown_realm' });
    expect(await check('r1', 'ann', null, 'x')).toMatchObject({ allowed: false, reason: 'unknown_realm' });
    expectError(await h.admin.get('/v1/realms/r1'), 404, 'realm_not_found');
    expectError(await h.admin.get('/v1/realms/r1/users/ann/memberships'), 404, 'realm_not_found');
    expectError(await h.admin.get('/v1/realms/r1/users/ann/permissions'), 404, 'realm_not_found');
    expectError(await h.admin.delete('/v1/realms/r1'), 404, 'realm_not_found');
  });

  test('a realm created again under the same name starts empty', async () => {
    await h.admin.put('/v1/realms/r1').expect(201);
    expect(await summary('r1')).toMatchObject({ orgs: 0, users: 0, memberships: 0, roles: [] });
    expect(await check('r1', 'ann', 'o1', 'docs:read')).toMatchObject({ allowed: false, reason: 'unknown_user' });
    expectError(await h.admin.get('/v1/realms/r1/users/ann/memberships'), 404, 'user_not_found');
    expectError(await h.admin.put('/v1/realms/r1/users/ann/memberships/o1', { roles: ['reader'] }), 422, 'unknown_role', 'roles[0]');
  });

  test('deleting one realm leaves another with the same user and org names untouched', async () => {
    await h.admin.put('/v1/realms/r2').expect(201);
    await h.admin.put('/v1/realms/r3').expect(201);
    await h.admin.put('/v1/realms/r2/users/ann/memberships/o1', { permissions: ['p'] }).expect(201);
    await h.admin.put('/v1/realms/r3/users/ann/memberships/o1', { permissions: ['p'] }).expect(201);
    await h.admin.delete('/v1/realms/r2').expect(200);
    expect(await check('r3', 'ann', 'o1', 'p')).toMatchObject({ allowed: true });
    expect(await summary('r3')).toMatchObject({ orgs: 1, users: 1, memberships: 1 });
  });
});

describe('orgs', () => {
  beforeAll(async () => {
    await h.admin.put('/v1/realms/orgs').expect(201);
    await h.admin.put('/v1/realms/orgs/roles/member', { permissions: ['chat:post'] }).expect(201);
  });

  test('PUT creates an org with 201, then 200 created:false without a new revision', async () => {
    const first = await h.admin.put('/v1/realms/orgs/orgs/blue').expect(201);
    expect(first.body).toEqual({ revision: expect.any(Number), created: true });
    const again = await h.admin.put('/v1/realms/orgs/orgs/blue').expect(200);
    expect(again.body).toEqual({ revision: first.body.revision, created: false });
  });

  test('an org with no members answers checks with no_membership instead of unknown_org', async () => {
    await h.admin.put('/v1/realms/orgs/users/kim').expect(201);
    expect(await check('orgs', 'kim', 'blue', 'chat:post')).toMatchObject({ allowed: false, reason: 'no_membership' });
    expect(await check('orgs', 'kim', 'green', 'chat:post')).toMatchObject({ allowed: false, reason: 'unknown_org' });
  });

  test('DELETE removes the org and every membership in it, and nothing in other orgs', async () => {
    await h.admin.put('/v1/realms/orgs/users/kim/memberships/blue', { roles: ['member'] }).expect(201);
    await h.admin.put('/v1/realms/orgs/users/lee/memberships/blue', { roles: ['member'] }).expect(201);
    await h.admin.put('/v1/realms/orgs/users/kim/memberships/red', { roles: ['member'] }).expect(201);
    const before = await summary('orgs');
    expect(before).toMatchObject({ orgs: 2, memberships: 3 });

    const res = await h.admin.delete('/v1/realms/orgs/orgs/blue').expect(200);
    expect(res.body.revision).toBe(before.revision + 1);

    expect(await summary('orgs')).toMatchObject({ orgs: 1, users: 2, memberships: 1 });
    expect(await check('orgs', 'kim', 'blue', 'chat:post')).toMatchObject({ allowed: false, reason: 'unknown_org' });
    expect(await check('orgs', 'kim', 'red', 'chat:post')).toMatchObject({ allowed: true });
    const kim = await h.admin.get('/v1/realms/orgs/users/kim/memberships').expect(200);
    expect(kim.body.memberships.map((m: { org: string }) => m.org)).toEqual(['red']);
    expect((await h.admin.get('/v1/realms/orgs/users/lee/memberships').expect(200)).body.memberships).toEqual([]);
    expectError(await h.admin.delete('/v1/realms/orgs/orgs/blue'), 404, 'org_not_found');
  });

  test('an org created again after deletion has no members', async () => {
    await h.admin.put('/v1/realms/orgs/orgs/blue').expect(201);
    expect(await check('orgs', 'lee', 'blue', 'chat:post')).toMatchObject({ allowed: false, reason: 'no_membership' });
    const perms = await h.admin.get('/v1/realms/orgs/users/kim/permissions?org=blue').expect(200);
    expect(perms.body).toMatchObject({ org: 'blue', roles: [], permissions: [], effective: false, reason: 'no_membership' });
  });
});

describe('users', () => {
  beforeAll(async () => {
    await h.admin.put('/v1/realms/people').expect(201);
    await h.admin.put('/v1/realms/people/roles/staff', { permissions: ['door:open'] }).expect(201);
  });

  test('PUT without a body creates an active user; again is 200 created:false at the same revision', async () => {
    const first = await h.admin.put('/v1/realms/people/users/mia').expect(201);
    expect(first.body).toEqual({ revision: expect.any(Number), created: true, user: 'mia', state: 'active' });
    const again = await h.admin.put('/v1/realms/people/users/mia').expect(200);
    expect(again.body).toEqual({ revision: first.body.revision, created: false, user: 'mia', state: 'active' });
    const same = await h.admin.put('/v1/realms/people/users/mia', { state: 'active' }).expect(200);
    expect(same.body.revision).toBe(first.body.revision);
  });

  test('PUT can create a user already disabled', async () => {
    const res = await h.admin.put('/v1/realms/people/users/ned', { state: 'disabled' }).expect(201);
    expect(res.body).toMatchObject({ created: true, state: 'disabled' });
    expect((await h.admin.get('/v1/realms/people/users/ned/memberships').expect(200)).body).toEqual({
      user: 'ned',
      state: 'disabled',
      memberships: [],
    });
  });

  test('disabling denies every check with user_disabled, keeps memberships, and enabling restores access', async () => {
    await h.admin.put('/v1/realms/people/users/mia/memberships/hq', { roles: ['staff'] }).expect(201);
    await h.admin.put('/v1/realms/people/users/mia/membership', { permissions: ['badge:print'] }).expect(201);
    expect(await check('people', 'mia', 'hq', 'door:open')).toMatchObject({ allowed: true });

    const before = await head();
    const off = await h.admin.put('/v1/realms/people/users/mia', { state: 'disabled' }).expect(200);
    expect(off.body).toEqual({ revision: before + 1, created: false, user: 'mia', state: 'disabled' });
    expect(await check('people', 'mia', 'hq', 'door:open')).toEqual({ allowed: false, reason: 'user_disabled', revision: before + 1 });
    expect(await check('people', 'mia', null, 'badge:print')).toMatchObject({ allowed: false, reason: 'user_disabled' });
    const stored = await h.admin.get('/v1/realms/people/users/mia/memberships').expect(200);
    expect(stored.body.state).toBe('disabled');
    expect(stored.body.memberships).toHaveLength(2);

    const again = await h.admin.put('/v1/realms/people/users/mia', { state: 'disabled' }).expect(200);
    expect(again.body.revision).toBe(before + 1);
    const emptyBody = await h.admin.put('/v1/realms/people/users/mia').expect(200);
    expect(emptyBody.body).toMatchObject({ revision: before + 1, state: 'disabled' });

    const on = await h.admin.put('/v1/realms/people/users/mia', { state: 'active' }).expect(200);
    expect(on.body).toMatchObject({ revision: before + 2, state: 'active' });
    expect(await check('people', 'mia', 'hq', 'door:open')).toMatchObject({ allowed: true, match: { role: 'staff' } });
    expect(await check('people', 'mia', null, 'badge:print')).toMatchObject({ allowed: true, match: { role: null } });
  });

  test('DELETE removes the user and every membership: reads are 404, checks say unknown_user', async () => {
    await h.admin.put('/v1/realms/people/users/ola/memberships/hq', { roles: ['staff'] }).expect(201);
    await h.admin.put('/v1/realms/people/users/ola/memberships/lab', { roles: ['staff'] }).expect(201);
    await h.admin.put('/v1/realms/people/users/ola/membership', { permissions: ['x'] }).expect(201);
    const before = await summary('people');

    const res = await h.admin.delete('/v1/realms/people/users/ola').expect(200);
    expect(res.body).toEqual({ revision: before.revision + 1 });

    expect(await summary('people')).toMatchObject({ users: before.users - 1, memberships: before.memberships - 3, orgs: before.orgs });
    expectError(await h.admin.get('/v1/realms/people/users/ola/memberships'), 404, 'user_not_found');
    expectError(await h.admin.get('/v1/realms/people/users/ola/permissions?org=hq'), 404, 'user_not_found');
    expect(await check('people', 'ola', 'hq', 'door:open')).toMatchObject({ allowed: false, reason: 'unknown_user' });
    const subjects = await h.admin.get('/v1/realms/people/orgs/hq/subjects?permission=door:open').expect(200);
    expect(subjects.body.subjects.map((s: { user: string }) => s.user)).toEqual(['mia']);
    expectError(await h.admin.delete('/v1/realms/people/users/ola'), 404, 'user_not_found');
  });

  test('a user created again after deletion has no memberships', async () => {
    await h.admin.put('/v1/realms/people/users/ola').expect(201);
    expect((await h.admin.get('/v1/realms/people/users/ola/memberships').expect(200)).body.memberships).toEqual([]);
    expect(await check('people', 'ola', 'hq', 'door:open')).toMatchObject({ allowed: false, reason: 'no_membership' });
  });

  test('user ids may hold @ | : + = ~ and travel URL-encoded', async () => {
    const id = 'auth0|x:y+z=w~v@example.com';
    const url = `/v1/realms/people/users/${encodeURIComponent(id)}`;
    await h.admin.put(`${url}/memberships/hq`, { roles: ['staff'] }).expect(201);
    expect(await check('people', id, 'hq', 'door:open')).toMatchObject({ allowed: true, match: { user: id } });
    const stored = await h.admin.get(`${url}/memberships`).expect(200);
    expect(stored.body).toMatchObject({ user: id, memberships: [{ user: id, org: 'hq' }] });
    await h.admin.delete(url).expect(200);
    expect(await check('people', id, 'hq', 'door:open')).toMatchObject({ allowed: false, reason: 'unknown_user' });
  });
});

describe('roles', () => {
  beforeAll(async () => {
    await h.admin.put('/v1/realms/tpl').expect(201);
  });

  test('PUT defines a role with 201 and lower-cased, de-duplicated tags; the same PUT again is a no-op', async () => {
    const first = await h.admin.put('/v1/realms/tpl/roles/editor', { permissions: ['Docs:Read', 'docs:read', 'docs:comment'] }).expect(201);
    expect(first.body).toEqual({ revision: expect.any(Number), created: true, role: 'editor', permissions: ['docs:read', 'docs:comment'] });
    const again = await h.admin.put('/v1/realms/tpl/roles/editor', { permissions: ['docs:read', 'docs:comment'] }).expect(200);
    expect(again.body).toEqual({ ...first.body, created: false });
  });

  test('redefining a role changes every org of the realm with one write', async () => {
    for (const [user, org] of [
      ['pam', 'north'],
      ['quin', 'south'],
      ['rex', 'east'],
    ]) {
      await h.admin.put(`/v1/realms/tpl/users/${user}/memberships/${org}`, { roles: ['editor'] }).expect(201);
    }
    await h.admin.put('/v1/realms/tpl/users/sue/membership', { roles: ['editor'] }).expect(201);
    const targets: [string, string | null][] = [
      ['pam', 'north'],
      ['quin', 'south'],
      ['rex', 'east'],
      ['sue', null],
    ];
    for (const [user, org] of targets) expect((await check('tpl', user, org, 'docs:write')).allowed).toBe(false);

    const before = await head();
    const res = await h.admin.put('/v1/realms/tpl/roles/editor', { permissions: ['docs:*'] }).expect(200);
    expect(res.body).toEqual({ revision: before + 1, created: false, role: 'editor', permissions: ['docs:*'] });

    for (const [user, org] of targets) {
      expect(await check('tpl', user, org, 'docs:write')).toMatchObject({
        allowed: true,
        match: { role: 'editor', grant: 'docs:*' },
        revision: before + 1,
      });
      expect((await check('tpl', user, org, 'docs:comment:x')).allowed).toBe(false);
    }
    const changes = await h.admin.get(`/v1/realms/tpl/changes?after=${before}`).expect(200);
    expect(changes.body.events).toEqual([
      expect.objectContaining({
        revision: before + 1,
        type: 'role.updated',
        data: { realm: 'tpl', role: 'editor', permissions: ['docs:*'] },
        previous: { realm: 'tpl', role: 'editor', permissions: expect.any(Array) },
      }),
    ]);
  });

  test('a role with no permissions grants nothing', async () => {
    await h.admin.put('/v1/realms/tpl/roles/editor', { permissions: [] }).expect(200);
    expect(await check('tpl', 'pam', 'north', 'docs:read')).toMatchObject({ allowed: false, reason: 'no_grant' });
  });

  test('DELETE of a held role is 409 role_in_use; of an unheld one removes it from the realm', async () => {
    const held = await h.admin.delete('/v1/realms/tpl/roles/editor');
    expectError(held, 409, 'role_in_use');
    expect(held.body.error.memberships).toBe(4);

    await h.admin.put('/v1/realms/tpl/roles/spare', { permissions: ['x'] }).expect(201);
    const before = await head();
    expect((await h.admin.delete('/v1/realms/tpl/roles/spare').expect(200)).body).toEqual({ revision: before + 1 });
    expect((await summary('tpl')).roles.map((r: { name: string }) => r.name)).toEqual(['editor']);
    expectError(await h.admin.put('/v1/realms/tpl/users/pam/memberships/north', { roles: ['spare'] }), 422, 'unknown_role', 'roles[0]');
  });
});

describe('revisions', () => {
  test('every kind of write answers the next revision, and the head moves with it', async () => {
    const writes: [string, () => Promise<{ status: number; body: { revision: number } }>][] = [
      ['put realm', () => h.admin.put('/v1/realms/rev')],
      ['put org', () => h.admin.put('/v1/realms/rev/orgs/o')],
      ['put user', () => h.admin.put('/v1/realms/rev/users/u')],
      ['disable user', () => h.admin.put('/v1/realms/rev/users/u', { state: 'disabled' })],
      ['put role', () => h.admin.put('/v1/realms/rev/roles/r', { permissions: ['a'] })],
      ['put org membership', () => h.admin.put('/v1/realms/rev/users/u/memberships/o', { roles: ['r'] })],
      ['put realm membership', () => h.admin.put('/v1/realms/rev/users/u/membership', { permissions: ['b'] })],
      ['replace membership', () => h.admin.put('/v1/realms/rev/users/u/membership', { permissions: ['c'] })],
      ['batch', () => h.admin.post('/v1/realms/rev/memberships/batch', { upsert: [{ user: 'v', org: 'o' }] })],
      ['sync', () => h.admin.put('/v1/realms/rev/memberships?org=o', { memberships: [{ user: 'v' }] })],
      ['delete org membership', () => h.admin.delete('/v1/realms/rev/users/v/memberships/o')],
      ['delete realm membership', () => h.admin.delete('/v1/realms/rev/users/u/membership')],
      ['delete user', () => h.admin.delete('/v1/realms/rev/users/u')],
      ['delete role', () => h.admin.delete('/v1/realms/rev/roles/r')],
      ['delete org', () => h.admin.delete('/v1/realms/rev/orgs/o')],
      ['delete realm', () => h.admin.delete('/v1/realms/rev')],
    ];
    let last = await head();
    for (const [label, write] of writes) {
      const res = await write();
      expect({ label, ok: res.status < 300 }).toEqual({ label, ok: true });
      expect({ label, revision: res.body.revision }).toEqual({ label, revision: last + 1 });
      last = res.body.revision;
      expect(await head()).toBe(last);
    }
  });

  test('repeating a write answers 200 created:false with the unchanged revision', async () => {
    await h.admin.put('/v1/realms/rev2').expect(201);
    await h.admin.put('/v1/realms/rev2/roles/r', { permissions: ['a'] }).expect(201);
    const writes: [string, () => Promise<{ status: number; body: { revision: number; created?: boolean } }>][] = [
      ['realm', () => h.admin.put('/v1/realms/rev2')],
      ['org', () => h.admin.put('/v1/realms/rev2/orgs/o')],
      ['user', () => h.admin.put('/v1/realms/rev2/users/u', { state: 'active' })],
      ['role', () => h.admin.put('/v1/realms/rev2/roles/r', { permissions: ['A'] })],
      ['org membership', () => h.admin.put('/v1/realms/rev2/users/u/memberships/o', { roles: ['r'], permissions: ['X', 'y'] })],
      [
        'realm membership',
        () => h.admin.put('/v1/realms/rev2/users/u/membership', { permissions: ['z'], expiresAt: '2999-01-01T00:00:00+01:00' }),
      ],
    ];
    for (const [label, write] of writes) {
      const first = await write();
      const revision = await head();
      const second = await write();
      expect({ label, status: second.status, created: second.body.created }).toEqual({ label, status: 200, created: false });
      expect({ label, revision: second.body.revision }).toEqual({ label, revision });
      expect(first.body.revision).toBe(revision);
      expect(await head()).toBe(revision);
    }
  });
});

describe('change feed', () => {
  let start: number;
  let roleRevision: number;

  beforeAll(async () => {
    start = await head();
    await h.admin.put('/v1/realms/feed').expect(201);
    roleRevision = (await h.admin.put('/v1/realms/feed/roles/viewer', { permissions: ['Pages:Read'] }).expect(201)).body.revision;
    await h.admin.put('/v1/realms/noise').expect(201);
    await h.admin.put('/v1/realms/feed/users/amy/memberships/wiki', { roles: ['viewer'] }).expect(201);
    await h.admin.put('/v1/realms/feed/users/amy', { state: 'disabled' }).expect(200);
    await h.admin.delete('/v1/realms/feed/users/amy/memberships/wiki').expect(200);
    await h.admin.delete('/v1/realms/noise').expect(200);
  });

  test("lists the realm's events in order, several per change where one write did several things", async () => {
    const res = await h.admin.get('/v1/realms/feed/changes').expect(200);
    const events = res.body.events;
    expect(events.map((e: { type: string }) => e.type)).toEqual([
      'realm.created',
      'role.created',
      'org.created',
      'user.created',
      'membership.created',
      'user.updated',
      'membership.deleted',
    ]);
    const revisions = events.map((e: { revision: number }) => e.revision);
    expect(revisions).toEqual([start + 1, start + 2, start + 4, start + 4, start + 4, start + 5, start + 6]);
    expect(events.map((e: { id: string }) => e.id)).toEqual([
      `${start + 1}.1`,
      `${start + 2}.1`,
      `${start + 4}.1`,
      `${start + 4}.2`,
      `${start + 4}.3`,
      `${start + 5}.1`,
      `${start + 6}.1`,
    ]);
    expect(res.body.next).toBe(start + 6);
    expect(events[1].data).toEqual({ realm: 'feed', role: 'viewer', permissions: ['pages:read'] });
    expect(events[4].data).toEqual({ realm: 'feed', user: 'amy', org: 'wiki', roles: ['viewer'], permissions: [], expiresAt: null });
    expect(events[5]).toMatchObject({ data: { user: 'amy', state: 'disabled' }, previous: { user: 'amy', state: 'active' } });
    expect(events[6].data).toEqual({ realm: 'feed', user: 'amy', org: 'wiki', roles: ['viewer'], permissions: [], expiresAt: null, reason: 'api' });
    for (const e of events) {
      expect(e.realm).toBe('feed');
      expect(Number.isNaN(Date.parse(e.occurredAt))).toBe(false);
    }
  });

  test('after and limit page through changes, and next continues where the page ended', async () => {
    const page1 = await h.admin.get(`/v1/realms/feed/changes?after=${start}&limit=2`).expect(200);
    expect(page1.body.events.map((e: { type: string }) => e.type)).toEqual(['realm.created', 'role.created']);
    expect(page1.body.next).toBe(roleRevision);

    const page2 = await h.admin.get(`/v1/realms/feed/changes?after=${page1.body.next}&limit=1`).expect(200);
    expect(page2.body.events.map((e: { type: string }) => e.type)).toEqual(['org.created', 'user.created', 'membership.created']);
    expect(page2.body.next).toBe(start + 4);

    const page3 = await h.admin.get(`/v1/realms/feed/changes?after=${page2.body.next}`).expect(200);
    expect(page3.body.events.map((e: { type: string }) => e.type)).toEqual(['user.updated', 'membership.deleted']);
    expect(page3.body.next).toBe(start + 6);

    const done = await h.admin.get(`/v1/realms/feed/changes?after=${page3.body.next}`).expect(200);
    expect(done.body).toEqual({ events: [], next: start + 6 });
  });

  test('a no-op write adds nothing to the feed', async () => {
    await h.admin.put('/v1/realms/feed/roles/viewer', { permissions: ['pages:read'] }).expect(200);
    expect((await h.admin.get(`/v1/realms/feed/changes?after=${start + 6}`).expect(200)).body.events).toEqual([]);
  });

  test("a deleted realm's history stays readable and ends with realm.deleted", async () => {
    const res = await h.admin.get('/v1/realms/noise/changes').expect(200);
    expect(res.body.events.map((e: { type: string }) => e.type)).toEqual(['realm.created', 'realm.deleted']);
    expect(res.body.next).toBe(start + 7);
    expectError(await h.admin.get('/v1/realms/never-was/changes'), 404, 'realm_not_found');
  });
});
