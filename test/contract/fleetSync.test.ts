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
});
