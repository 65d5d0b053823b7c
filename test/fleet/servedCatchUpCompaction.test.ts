import { decide } from '../../src/engine/decide';
import { putMembership } from '../../src/services/putMembership';
import { listChanges } from '../../src/services/listChanges';
import { putRealm } from '../../src/services/realms';
import { stateDigest } from '../../src/services/stateDigest';
import { ChangeApplier } from '../../src/store/changeApplier';
import { compactChanges } from '../../src/store/changeLog';
import type { Database } from '../../src/store/database';
import { loadState } from '../../src/store/loadState';
import { startHarness, type Harness } from '../support/harness';
import { describeWithPostgres } from '../support/postgres';

/**
 * Compaction racing a read of the log must never make a change vanish unannounced: a sidecar
 * serving some realms that catches up while entries it needs are compacted reloads whole (it must
 * not take a served change for an empty one), and a subscriber of GET /changes gets the events
 * right after what it saw, or a 410, never a list that starts later.
 *
 * The race is made deterministic: compaction runs, on its own connection, right before the read.
 */
describeWithPostgres('reads of the change log racing compaction', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness({ backend: 'postgres' });
  });
  afterAll(async () => {
    await h?.close();
  });

  const compactAll = (db: Database) => compactChanges(db.prisma, new Date(Date.now() + 86_400_000));

  const bind = <T extends object>(target: T, prop: string | symbol) => {
    const value = Reflect.get(target, prop, target) as unknown;
    return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
  };

  /** The database, except that the catch-up read of a sidecar serving some realms is preceded by a compaction. */
  function compactingBeforeServedRead(db: Database): { db: Database; compacted: () => number } {
    let compacted = -1;
    const prisma = new Proxy(db.prisma, {
      get(target, prop) {
        if (prop !== '$queryRaw') return bind(target, prop);
        return async (...args: unknown[]) => {
          if (compacted < 0) compacted = await compactAll(db);
          return (target.$queryRaw as (...a: unknown[]) => Promise<unknown>)(...args);
        };
      },
    });
    return { db: { ...db, prisma: prisma as Database['prisma'] }, compacted: () => compacted };
  }

  /** The database, except that inside a transaction the read of the log is preceded by a compaction elsewhere. */
  function compactingInsideTransaction(db: Database): { db: Database; compacted: () => number } {
    let compacted = -1;
    const wrapTx = (tx: object) => {
      const change = new Proxy((tx as { change: object }).change, {
        get(target, prop) {
          if (prop !== 'findMany') return bind(target, prop);
          return async (args: unknown) => {
            if (compacted < 0) compacted = await compactAll(db);
            return (target as { findMany: (a: unknown) => Promise<unknown> }).findMany(args);
          };
        },
      });
      return new Proxy(tx, { get: (target, prop) => (prop === 'change' ? change : bind(target, prop)) });
    };
    const prisma = new Proxy(db.prisma, {
      get(target, prop) {
        if (prop !== '$transaction') return bind(target, prop);
        return (fn: (tx: object) => Promise<unknown>, options?: unknown) =>
          (target.$transaction as (f: (tx: object) => Promise<unknown>, o?: unknown) => Promise<unknown>)((tx) => fn(wrapTx(tx)), options);
      },
    });
    return { db: { ...db, prisma: prisma as Database['prisma'] }, compacted: () => compacted };
  }

  test('a sidecar serving some realms whose next changes are compacted as it reads them reloads, losing nothing', async () => {
    const d = h.runtime.deps;
    await putRealm(d, 'a_b');
    await putRealm(d, 'other');
    // a sidecar serving a_b that stops following here
    const behind = await loadState(d.db, ['a_b']);
    await putMembership(d, 'a_b', { user: 'ann', org: 'eng', permissions: ['x:1'] });
    await putMembership(d, 'other', { user: 'bob', org: 'eng', permissions: ['x:1'] }); // the newest: compaction keeps it

    const racing = compactingBeforeServedRead(d.db);
    const errors: unknown[] = [];
    await new ChangeApplier(racing.db, behind, (err) => errors.push(err)).catchUp();
    expect(racing.compacted()).toBeGreaterThan(0); // the race did happen

    const fresh = await loadState(d.db, ['a_b']);
    expect(behind.revision).toBe(fresh.revision);
    expect(decide(behind, { realm: 'a_b', subject: 'ann', org: 'eng', permission: 'x:1' }, Date.now())).toMatchObject({ allowed: true });
    expect(stateDigest(behind)).toEqual(stateDigest(fresh));
  });

  test('GET /changes: a subscriber whose next changes are compacted while it reads gets them or a 410, never a silent gap', async () => {
    const d = h.runtime.deps;
    await putRealm(d, 'subs');
    const { revision: seen } = await putMembership(d, 'subs', { user: 'u0', permissions: ['t:0'] });
    for (let i = 1; i <= 3; i += 1) await putMembership(d, 'subs', { user: `u${i}`, permissions: [`t:${i}`] });
    const racing = compactingInsideTransaction(d.db);
    const answer = await listChanges({ db: racing.db }, 'subs', seen, 100).then(
      (r) => [...new Set(r.events.map((e) => e.revision))],
      (err: { status?: number }) => err.status,
    );
    expect(racing.compacted()).toBeGreaterThan(0);
    // either the events right after what the subscriber saw, or 410: never a list that starts later
    expect([410, [seen + 1, seen + 2, seen + 3]]).toContainEqual(answer);
  });
});
