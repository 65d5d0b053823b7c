import { loadState } from '../../src/store/loadState';
import { stateDigest } from '../../src/services/stateDigest';
import { startHarness, type Harness } from '../support/harness';

let h: Harness;
const MAX_WAIT_MS = 200;

beforeAll(async () => {
  h = await startHarness({ defaultRealm: 'acme', env: { REALMGATE_MAX_WAIT_MS: String(MAX_WAIT_MS) } });
  await h.admin.put('/v1/realms/acme').expect(201);
  await h.admin.put('/v1/realms/acme/roles/admin', { permissions: ['orders:*'] }).expect(201);
});
afterAll(() => h.close());

const check = (body: object) => h.http().post('/v1/check').send(body);

describe('atLeast: read-your-writes', () => {
  test('a check at the revision a write answered with sees the write, and says its revision', async () => {
    const write = await h.admin.put('/v1/realms/acme/users/ann/memberships/eng', { roles: ['admin'] }).expect(201);
    const res = await check({ subject: 'ann', org: 'eng', permission: 'orders:rw', atLeast: write.body.revision }).expect(200);
    expect(res.body).toMatchObject({ allowed: true, revision: write.body.revision });
  });

  test('a revision not reached within REALMGATE_MAX_WAIT_MS is a 503 stale with the local revision', async () => {
    const revision = h.runtime.deps.state.revision;
    const started = Date.now();
    const res = await check({ subject: 'ann', org: 'eng', permission: 'orders:rw', atLeast: revision + 5 }).expect(503);
    expect(Date.now() - started).toBeGreaterThanOrEqual(MAX_WAIT_MS - 20);
    expect(res.body.error).toMatchObject({ code: 'stale', revision });
    expect(res.body.error.message).toContain(`not yet at ${revision + 5}`);
  });

  test('a check waiting for a revision is answered as soon as a write reaches it', async () => {
    const revision = h.runtime.deps.state.revision;
    const waiting = check({ subject: 'bob', org: 'eng', permission: 'orders:rw', atLeast: revision + 1 });
    const [answer] = await Promise.all([
      waiting,
      new Promise((resolve) => setTimeout(resolve, 20)).then(() => h.admin.put('/v1/realms/acme/users/bob/memberships/eng', { roles: ['admin'] }).expect(201)),
    ]);
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ allowed: true, revision: revision + 1 });
  });

  test('a batch waits for the highest atLeast it holds, top-level or per check', async () => {
    const revision = h.runtime.deps.state.revision;
    const ok = await h.http().post('/v1/check/batch').send({ atLeast: revision, checks: [{ subject: 'ann', org: 'eng', permission: 'orders:rw' }] }).expect(200);
    expect(ok.body.results[0]).toMatchObject({ allowed: true, revision });
    const stale = await h
      .http()
      .post('/v1/check/batch')
      .send({ atLeast: revision, checks: [{ subject: 'ann', org: 'eng', permission: 'x' }, { subject: 'ann', permission: 'x', atLeast: revision + 9 }] })
      .expect(503);
    expect(stale.body.error).toMatchObject({ code: 'stale', revision });
  });

  test.each([[-1], ['3'], [1.5]])('atLeast %j is a 400 naming the field', async (atLeast) => {
    const res = await check({ subject: 'ann', permission: 'x', atLeast }).expect(400);
    expect(res.body.error.field).toBe('atLeast');
  });
});

describe('If-Match on membership writes', () => {
  const url = '/v1/realms/acme/users/cy/memberships/eng';

  test('a write answers with the membership revision as ETag; If-Match with it succeeds once', async () => {
    const created = await h.admin.put(url, { permissions: ['a:1'] }).expect(201);
    expect(created.headers.etag).toBe(`"${created.body.membership.revision}"`);
    const replaced = await h.admin.put(url, { permissions: ['a:2'] }).set('If-Match', created.headers.etag).expect(200);
    expect(replaced.body.membership.permissions).toEqual(['a:2']);

    // the same precondition again: the membership has moved on, nothing is written
    const before = h.runtime.deps.state.revision;
    const refused = await h.admin.put(url, { permissions: ['a:3'] }).set('If-Match', created.headers.etag).expect(412);
    expect(refused.body.error).toMatchObject({ code: 'precondition_failed', field: 'If-Match', revision: replaced.body.membership.revision });
    expect(h.runtime.deps.state.revision).toBe(before);
    expect((await check({ subject: 'cy', org: 'eng', permission: 'a:2' })).body.allowed).toBe(true);
    expect((await check({ subject: 'cy', org: 'eng', permission: 'a:3' })).body.allowed).toBe(false);
  });

  test('If-Match: * needs the membership to exist; a revision on a missing one is a 412', async () => {
    await h.admin.put('/v1/realms/acme/users/dee/membership', { permissions: ['x'] }).set('If-Match', '*').expect(412);
    await h.admin.put('/v1/realms/acme/users/dee/membership', { permissions: ['x'] }).set('If-Match', '"1"').expect(412);
    await h.admin.put('/v1/realms/acme/users/dee/membership', { permissions: ['x'] }).expect(201);
    await h.admin.put('/v1/realms/acme/users/dee/membership', { permissions: ['y'] }).set('If-Match', '*').expect(200);
  });

  test('DELETE honours If-Match too', async () => {
    const written = await h.admin.put('/v1/realms/acme/users/eve/membership', { permissions: ['x'] }).expect(201);
    const revision = written.body.membership.revision as number;
    await h.admin.delete('/v1/realms/acme/users/eve/membership').set('If-Match', `"${revision - 1}"`).expect(412);
    await h.admin.delete('/v1/realms/acme/users/eve/membership').set('If-Match', `"${revision}"`).expect(200);
  });

  test('a malformed If-Match is a 400 naming the header', async () => {
    const res = await h.admin.put(url, { permissions: ['a:9'] }).set('If-Match', 'yesterday').expect(400);
    expect(res.body.error.field).toBe('if-match');
  });
});

describe('GET /v1/state', () => {
  test('needs the token, and equals the digest of the state rebuilt from the database', async () => {
    await h.http().get('/v1/state').expect(401);
    await h.http().get('/v1/state').set('Authorization', 'Bearer not-the-admin-token-at-all').expect(401);
    const res = await h.admin.get('/v1/state').expect(200);
    const rebuilt = stateDigest(await loadState(h.runtime.deps.db));
    expect(res.body).toEqual(rebuilt);
    expect(res.body.realms).toEqual(['acme']);
  });

  test('changes when a grant changes, and comes back when it is restored', async () => {
    const before = (await h.admin.get('/v1/state').expect(200)).body.digest;
    await h.admin.put('/v1/realms/acme/roles/admin', { permissions: ['orders:*', 'extra'] }).expect(200);
    const changed = (await h.admin.get('/v1/state').expect(200)).body.digest;
    expect(changed).not.toBe(before);
    await h.admin.put('/v1/realms/acme/roles/admin', { permissions: ['orders:*'] }).expect(200);
    expect((await h.admin.get('/v1/state').expect(200)).body.digest).toBe(before);
  });
});

describe('change-log retention', () => {
  test('compaction keeps the newest entry; reading from before what is kept is a 410', async () => {
    const head = h.runtime.deps.state.revision;
    h.clock.advance(8 * 24 * 3600 * 1000); // past the default retention of seven days
    const compacted = await h.runtime.compactor.compactNow();
    expect(compacted).toBe(head - 1);
    const gone = await h.admin.get('/v1/realms/acme/changes?after=0').expect(410);
    expect(gone.body.error).toMatchObject({ code: 'compacted', field: 'after', revision: head - 1 });
    const kept = await h.admin.get(`/v1/realms/acme/changes?after=${head - 1}`).expect(200);
    expect(kept.body.next).toBe(head);
    // the head revision survives: the next write follows it
    const next = await h.admin.put('/v1/realms/acme/users/fay/membership', { permissions: ['x'] }).expect(201);
    expect(next.body.revision).toBe(head + 1);
  });

  test('compaction removes a prefix of the log only: an old entry after a newer one stays, leaving no hole', async () => {
    const from = h.runtime.deps.state.revision;
    for (let i = 0; i < 4; i += 1) await h.admin.put(`/v1/realms/acme/users/g${i}/membership`, { permissions: ['x'] }).expect(201);
    const prisma = h.runtime.deps.db.prisma;
    // as if written now by the service's clock, except that a writer whose transaction began early
    // committed a later revision with an older time
    await prisma.$executeRaw`UPDATE change_log SET created_at = ${new Date(h.clock.now())} WHERE revision > ${BigInt(from)}`;
    await prisma.$executeRaw`UPDATE change_log SET created_at = ${new Date(h.clock.now() - 30 * 86_400_000)} WHERE revision = ${BigInt(from + 3)}`;
    await h.runtime.compactor.compactNow();
    const left = (await prisma.change.findMany({ select: { revision: true }, orderBy: { revision: 'asc' } })).map((r) => Number(r.revision));
    expect(left).toEqual(Array.from({ length: left.length }, (_, i) => left[0] + i));
    expect(left).toContain(from + 3);
    expect(left[left.length - 1]).toBe(from + 4);
  });
});
