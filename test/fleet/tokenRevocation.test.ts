import { describeWithPostgres, createScratchDatabase } from '../support/postgres';
import { Fleet, FleetDatabase, waitFor, type Sidecar } from '../support/fleet';

/**
 * Realm tokens across a fleet: made on one sidecar, accepted by the others once they have the
 * change; revoked on one, refused by every other as soon as it stands at the revocation's
 * revision, even one whose change notifications were cut (it catches up from the log).
 */
describeWithPostgres('fleet: realm tokens across sidecar processes', () => {
  let scratch: Awaited<ReturnType<typeof createScratchDatabase>>;
  let fleet: Fleet;
  let db: FleetDatabase;
  let a: Sidecar;
  let b: Sidecar;
  /** serves another realm only: still knows every realm's tokens */
  let narrow: Sidecar;

  beforeAll(async () => {
    scratch = await createScratchDatabase();
    fleet = new Fleet(scratch.url);
    a = fleet.add('tokens-a');
    b = fleet.add('tokens-b', { REALMGATE_POLL_MS: '200' });
    narrow = fleet.add('tokens-narrow', { REALMGATE_REALMS: 'other' });
    db = await FleetDatabase.connect(scratch.url);
    await fleet.startAll();
  }, 180_000);

  afterAll(async () => {
    try {
      await fleet?.close();
      await db?.close();
    } finally {
      await scratch?.drop();
    }
  }, 60_000);

  const withToken = (s: Sidecar, token: string) => s.request('GET', '/v1/realms/acme/users/ann/memberships', undefined, { authorization: `Bearer ${token}` });
  const at = (s: Sidecar, revision: number) => waitFor(`${s.name} at revision ${revision}`, async () => (await s.readyz()).revision >= revision, { fleet });

  test('a token made on one sidecar is accepted on the others; revoked on one, it is refused everywhere', async () => {
    expect((await a.put('/v1/realms/acme')).status).toBe(201);
    expect((await a.put('/v1/realms/acme/users/ann/memberships/eng', { permissions: ['orders:rw'] })).status).toBe(201);
    const created = await a.request('POST', '/v1/realms/acme/tokens', { name: 'reader', scopes: ['read'] });
    expect(created.status).toBe(201);
    const { id, token } = created.body as { id: string; token: string };
    const made = await db.head();

    for (const s of [a, b, narrow]) {
      await at(s, made);
      expect({ sidecar: s.name, status: (await withToken(s, token)).status }).toEqual({ sidecar: s.name, status: 200 });
    }

    // b hears nothing more by notification: it has to find the revocation in the log
    await db.terminate('tokens-b', true);
    const revoked = await a.request('DELETE', `/v1/realms/acme/tokens/${id}`);
    expect(revoked.status).toBe(200);
    const revision = revoked.body.revision as number;
    expect((await withToken(a, token)).status).toBe(401);
    for (const s of [b, narrow]) {
      await at(s, revision);
      const res = await withToken(s, token);
      expect({ sidecar: s.name, status: res.status, code: res.body?.error?.code }).toEqual({ sidecar: s.name, status: 401, code: 'unauthorized' });
    }
  }, 60_000);
});
