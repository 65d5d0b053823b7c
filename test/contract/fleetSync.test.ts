import pg from 'pg';
import { decide } from '../../src/engine/decide';
import { putMembership } from '../../src/services/putMembership';
import { putRealm } from '../../src/services/realms';
import { putRole } from '../../src/services/roles';
import { stateDigest } from '../../src/services/stateDigest';
import { ChangeApplier } from '../../src/store/changeApplier';
import { loadState } from '../../src/store/loadState';
import { startHarness, type Harness } from '../support/harness';
import { describeWithPostgres } from '../support/postgres';
import { describeState } from '../support/stateDigest';

/** Sidecars in one process sharing one PostgreSQL database: each has its own listener and state. */
describeWithPostgres('fleet sync on PostgreSQL', () => {
  let a: Harness;
  let b: Harness;
  let narrow: Harness;

  beforeAll(async () => {
    a = await startHarness({ backend: 'postgres' });
    const databaseUrl = a.config.databaseUrl as string;
    b = await startHarness({ backend: 'postgres', databaseUrl });
    narrow = await startHarness({ backend: 'postgres', databaseUrl, env: { REALMGATE_REALMS: 'a_b' } });
  });
  afterAll(async () => {
    await narrow?.close();
    await b?.close();
    await a?.close();
  });

  const allowed = (h: Harness, realm: string, user: string, org: string | null, permission: string) =>
    decide(h.runtime.deps.state, { realm, subject: user, org, permission }, Date.now());

  test('a write through one sidecar reaches another by notification, without any write there', async () => {
    const d = a.runtime.deps;
    await putRealm(d, 'live');
    await putRole(d, 'live', 'admin', ['orders:*']);
    const { revision } = await putMembership(d, 'live', { user: 'ann', org: 'eng', roles: ['admin'] });
    expect(await b.runtime.deps.fleet.reach(revision, 5_000)).toBe(true);
    expect(allowed(b, 'live', 'ann', 'eng', 'orders:rw').allowed).toBe(true);
    expect(b.runtime.deps.fleet.lag).toBe(0);
    expect(b.runtime.deps.fleet.listening).toBe(true);
    expect(stateDigest(b.runtime.deps.state)).toEqual(stateDigest(a.runtime.deps.state));
  });

  test('REALMGATE_REALMS: only the served realm is loaded, other realms skipped', async () => {
    const d = a.runtime.deps;
    for (const realm of ['a_b', 'axb', 'a_bc']) {
      await putRealm(d, realm);
      await putRole(d, realm, 'admin', ['orders:*']);
      await putMembership(d, realm, { user: 'bob', org: 'eng', roles: ['admin'], permissions: ['widget:1'] });
    }
    const { revision } = await putMembership(d, 'axb', { user: 'cy', permissions: ['x'] });
    expect(await narrow.runtime.deps.fleet.reach(revision, 5_000)).toBe(true);
    const state = narrow.runtime.deps.state;
    expect([...state.realms.keys()]).toEqual(['a_b']);
    expect(allowed(narrow, 'a_b', 'bob', 'eng', 'orders:rw').allowed).toBe(true);
    expect(allowed(narrow, 'axb', 'bob', 'eng', 'orders:rw').reason).toBe('unknown_realm');
    expect(state.realm('a_b')?.membershipCount).toBe(1);
    // the same as loading the one realm afresh, and as a restart would load it
    expect(await describeState(state)).toEqual(await describeState(await loadState(d.db, ['a_b'])));
    await narrow.restart();
    expect(await describeState(narrow.runtime.deps.state)).toEqual(await describeState(state));
  });

  test('a sidecar that fell behind the retained log loads whole and swaps, only moving forward', async () => {
    const d = a.runtime.deps;
    await putRealm(d, 'gap');
    // a sidecar that stops following here
    const behind = await loadState(d.db);
    const from = behind.revision;
    for (let i = 0; i < 5; i += 1) await putMembership(d, 'gap', { user: `u${i}`, permissions: [`t:${i}`] });
    a.clock.advance(8 * 24 * 3600 * 1000);
    expect(await a.runtime.compactor.compactNow()).toBeGreaterThan(0);
    const errors: unknown[] = [];
    const applier = new ChangeApplier(d.db, behind, (err) => errors.push(err));
    const seen: number[] = [];
    applier.onAdvanced((r) => seen.push(r));
    await applier.catchUp();
    expect(errors).toEqual([]);
    expect(behind.revision).toBeGreaterThan(from + 4);
    expect(seen.every((r, i) => i === 0 || r >= seen[i - 1])).toBe(true);
    expect(await describeState(behind)).toEqual(await describeState(await loadState(d.db)));
    expect(decide(behind, { realm: 'gap', subject: 'u4', org: null, permission: 't:4' }, Date.now()).allowed).toBe(true);
  });

  test('a commit that fails after its statements leaves nothing held: the sidecar goes on following the others', async () => {
    const d = a.runtime.deps;
    // a check PostgreSQL runs only at COMMIT, refusing the log entry of one realm
    const session = new pg.Client({ connectionString: a.config.databaseUrl as string });
    await session.connect();
    try {
      await session.query(`CREATE FUNCTION refuse_at_commit() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN IF NEW.realm = 'refused_at_commit' THEN RAISE EXCEPTION 'refused at commit'; END IF; RETURN NULL; END $$`);
      await session.query(`CREATE CONSTRAINT TRIGGER refuse_at_commit AFTER INSERT ON change_log
        DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION refuse_at_commit()`);
      const head = d.state.revision;
      await expect(putRealm(d, 'refused_at_commit')).rejects.toThrow(/refused at commit/);
      expect(d.state.revision).toBe(head);
      // the revision it would have taken is written by another sidecar: this one must catch up to it
      const { revision } = await putRealm(b.runtime.deps, 'after_refusal');
      expect(revision).toBe(head + 1);
      expect(await d.fleet.reach(revision, 5_000)).toBe(true);
      expect(d.state.realm('after_refusal')).toBeDefined();
      expect(d.state.realm('refused_at_commit')).toBeUndefined();
    } finally {
      await session.query('DROP TRIGGER IF EXISTS refuse_at_commit ON change_log');
      await session.query('DROP FUNCTION IF EXISTS refuse_at_commit()');
      await session.end();
    }
  });
});
