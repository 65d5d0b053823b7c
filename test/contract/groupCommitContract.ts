import { AppError } from '../../src/errors';
import { deleteOrg } from '../../src/services/orgs';
import { putMembership } from '../../src/services/putMembership';
import { putRealm } from '../../src/services/realms';
import { deleteRole, putRole } from '../../src/services/roles';
import { deleteUser } from '../../src/services/users';
import { loadState } from '../../src/store/loadState';
import * as persistMemberships from '../../src/store/persistMemberships';
import type { Tx } from '../../src/store/database';
import { startHarness, type Backend, type Harness } from '../support/harness';
import { describeState, storedAndDerivedRules } from '../support/stateDigest';

/**
 * Group commit, on every backend: writes that arrive while a transaction runs share the next one,
 * yet each keeps its own revision and its own outcome, whatever the others in its group did.
 */
export function groupCommitContract(backend: Backend): void {
  let h: Harness;
  const deps = () => h.runtime.deps;

  beforeAll(async () => {
    h = await startHarness({ backend });
    await putRealm(deps(), 'g');
    await putRole(deps(), 'g', 'reader', ['reports.read']);
  });
  afterAll(() => h?.close());

  /** Counts the transactions the writer opens from here on. */
  const countTransactions = () => {
    const spy = jest.spyOn(deps().db.prisma, '$transaction');
    return { count: () => spy.mock.calls.length, restore: () => spy.mockRestore() };
  };

  /** A write whose statement fails, and whose plan then refuses with an error of its own. */
  const hidingRefusal = () =>
    deps().writer.write(async (tx: Tx) => {
      try {
        await tx.$queryRaw`SELECT 1 / 0 AS never`;
      } catch {
        throw new AppError(409, 'conflict', 'refused after a failed statement');
      }
      return { changes: [], result: null };
    });

  /** Memory, records and derived rules all say the same, and the log has no gap. */
  const expectConsistent = async () => {
    const d = deps();
    const { stored, derived } = await storedAndDerivedRules(d.db.prisma);
    expect(stored).toEqual(derived);
    const fresh = await loadState(d.db);
    expect(await describeState(d.state)).toEqual(await describeState(fresh));
    const revisions = (await d.db.prisma.change.findMany({ select: { revision: true }, orderBy: { revision: 'asc' } })).map((c) => Number(c.revision));
    expect(revisions).toEqual(revisions.map((_, i) => revisions[0] + i));
    expect(revisions[revisions.length - 1]).toBe(d.state.revision);
  };

  test('concurrent writes share transactions, each with its own revision, and refusals stay their own', async () => {
    const d = deps();
    const before = d.state.revision;
    const transactions = countTransactions();
    const writes = Array.from({ length: 40 }, (_, i) => {
      if (i % 10 === 3) return putMembership(d, 'g', { user: `u${i}`, org: 'o', roles: ['no-such-role'] });
      if (i % 10 === 7) return putMembership(d, 'missing-realm', { user: `u${i}`, org: 'o' });
      if (i % 10 === 9) return putMembership(d, 'g', { user: `u${i}`, org: 'o', permissions: ['x:1'] }, 12345);
      // the same membership several times: each write sees the one before it in the group
      return putMembership(d, 'g', { user: `u${i % 5}`, org: `o${i % 2}`, roles: ['reader'], permissions: [`t:${i}`] });
    });
    const settled = await Promise.allSettled(writes);
    transactions.restore();

    const codes = settled.map((s) => (s.status === 'rejected' ? (s.reason as AppError).code : 'ok'));
    codes.forEach((code, i) => {
      if (i % 10 === 3) expect(code).toBe('unknown_role');
      else if (i % 10 === 7) expect(code).toBe('realm_not_found');
      else if (i % 10 === 9) expect(code).toBe('precondition_failed');
      else expect(code).toBe('ok');
    });
    const revisions = settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value.revision] : []));
    // in the order they were asked for, one revision each, with nothing in between
    expect(revisions).toEqual(revisions.map((_, i) => before + 1 + i));
    expect(d.state.revision).toBe(before + revisions.length);
    expect(transactions.count()).toBeLessThan(writes.length / 4);
    // the last write of each membership is the one that stands
    const last = await d.db.prisma.membership.findUnique({ where: { realm_user_org: { realm: 'g', user: 'u4', org: 'o0' } } });
    expect(last?.permissions).toEqual(['t:34']);
    await expectConsistent();
  });

  test('membership writes that read their slots ahead still see what each write before them in the group left', async () => {
    const d = deps();
    await putMembership(d, 'g', { user: 'kept', org: 'gone', permissions: ['k:1'] });
    const standing = await putMembership(d, 'g', { user: 'pre', org: 'o', permissions: ['p:1'] });
    await putRole(d, 'g', 'spare', ['spare.read']);
    const before = d.state.revision;
    // the first write has a transaction to itself; all the others arrive meanwhile and share the next
    const opener = putMembership(d, 'g', { user: 'opener2', org: 'o', permissions: ['o:2'] });
    const settled = await Promise.allSettled([
      // a new user and a new org, then the same user in another new org, then the same org again
      putMembership(d, 'g', { user: 'fresh', org: 'new-a', permissions: ['f:1'] }),
      putMembership(d, 'g', { user: 'fresh', org: 'new-b', permissions: ['f:2'] }),
      putMembership(d, 'g', { user: 'other', org: 'new-a', permissions: ['f:3'] }),
      // a role created and then named; one deleted and then named
      putRole(d, 'g', 'late', ['late.read']),
      putMembership(d, 'g', { user: 'fresh', org: 'new-c', roles: ['late'] }),
      deleteRole(d, 'g', 'spare'),
      putMembership(d, 'g', { user: 'other', org: 'new-c', roles: ['spare'] }),
      // a membership changed, then written on the condition that it was not
      putMembership(d, 'g', { user: 'pre', org: 'o', permissions: ['p:2'] }),
      putMembership(d, 'g', { user: 'pre', org: 'o', permissions: ['p:3'] }, standing.revision),
      // an org deleted (with its memberships), then written to again: it is created anew
      deleteOrg(d, 'g', 'gone'),
      putMembership(d, 'g', { user: 'kept', org: 'gone', permissions: ['k:2'] }),
      // a user deleted, then given a membership again: created anew
      deleteUser(d, 'g', 'other'),
      putMembership(d, 'g', { user: 'other', org: 'new-a', permissions: ['f:4'] }),
    ]);
    await opener;
    const outcome = settled.map((s) => (s.status === 'rejected' ? (s.reason as AppError).code : 'ok'));
    expect(outcome).toEqual(['ok', 'ok', 'ok', 'ok', 'ok', 'ok', 'unknown_role', 'ok', 'precondition_failed', 'ok', 'ok', 'ok', 'ok']);
    const revisions = settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value.revision] : []));
    expect(revisions).toEqual(revisions.map((_, i) => before + 2 + i));
    const users = await d.db.prisma.user.findMany({ where: { realm: 'g', name: { in: ['fresh', 'other'] } }, orderBy: { name: 'asc' } });
    expect(users.map((u) => u.name)).toEqual(['fresh', 'other']);
    const orgs = await d.db.prisma.org.findMany({ where: { realm: 'g', name: { in: ['new-a', 'new-b', 'new-c', 'gone'] } }, orderBy: { name: 'asc' } });
    expect(orgs.map((o) => o.name)).toEqual(['gone', 'new-a', 'new-b', 'new-c']);
    const rows = await d.db.prisma.membership.findMany({ where: { realm: 'g', user: { in: ['fresh', 'other', 'pre', 'kept'] } }, orderBy: [{ user: 'asc' }, { org: 'asc' }] });
    expect(rows.map((m) => `${m.user}@${m.org} ${[...m.roles, ...m.permissions].join(',')} r${m.revision}`)).toEqual([
      `fresh@new-a f:1 r${before + 2}`,
      `fresh@new-b f:2 r${before + 3}`,
      `fresh@new-c late r${before + 6}`,
      `kept@gone k:2 r${before + 10}`,
      `other@new-a f:4 r${before + 12}`,
      `pre@o p:2 r${before + 8}`,
    ]);
    await expectConsistent();
  });

  test('single-membership writes that share nothing share the statements that store them', async () => {
    const d = deps();
    const storing = jest.spyOn(persistMemberships, 'persistMembershipOps');
    const transactions = countTransactions();
    try {
      // the first write has the next transaction to itself or shares it; the others arrive meanwhile
      const writes = Array.from({ length: 12 }, (_, i) => putMembership(d, 'g', { user: `apart-${i}`, org: `apart-${i}`, permissions: [`a:${i}`] }));
      const done = await Promise.all(writes);
      expect(done.map((r) => r.revision)).toEqual(done.map((_, i) => done[0].revision + i));
      expect(transactions.count()).toBeLessThanOrEqual(2);
      // one statement per group for all their memberships, however many writes it holds
      expect(storing.mock.calls.length).toBe(transactions.count());
      expect(storing.mock.calls.reduce((n, [, , ops]) => n + ops.length, 0)).toBe(12);
    } finally {
      storing.mockRestore();
      transactions.restore();
    }
    await expectConsistent();
  });

  test('a write whose statement fails is rolled back alone: the others of its group are run again and committed', async () => {
    const d = deps();
    const before = d.state.revision;
    const broken = d.writer.write(async (tx: Tx) => {
      await tx.$queryRaw`SELECT 1 / 0 AS never`;
      return { changes: [], result: null };
    });
    const others = Array.from({ length: 6 }, (_, i) => putMembership(d, 'g', { user: `after-${i}`, org: 'o', permissions: [`a:${i}`] }));
    await expect(broken).rejects.toThrow(/division by zero/);
    const done = await Promise.all(others);
    expect(done.map((r) => r.revision)).toEqual(done.map((_, i) => before + 1 + i));
    await expectConsistent();
  });

  test('a plan that hides a failed statement behind its own refusal does not take its group down silently', async () => {
    const d = deps();
    const before = d.state.revision;
    const first = Array.from({ length: 3 }, (_, i) => putMembership(d, 'g', { user: `hide-${i}`, org: 'o', permissions: [`h:${i}`] }));
    // last in its group: no statement of another write follows it to notice the aborted transaction
    const hiding = hidingRefusal();
    await expect(hiding).rejects.toThrow('refused after a failed statement');
    const done = await Promise.all(first);
    expect(done.map((r) => r.revision)).toEqual([before + 1, before + 2, before + 3]);
    for (let i = 0; i < 3; i += 1) {
      const row = await d.db.prisma.membership.findUnique({ where: { realm_user_org: { realm: 'g', user: `hide-${i}`, org: 'o' } } });
      expect(row?.permissions).toEqual([`h:${i}`]);
    }
    await expectConsistent();
  });

  test('a group that would write nothing still notices a failed statement hidden by a refusal before it commits', async () => {
    const d = deps();
    const standing = await putMembership(d, 'g', { user: 'same', org: 'o', permissions: ['s:1'] });
    const opener = putMembership(d, 'g', { user: 'opener', org: 'o', permissions: ['o:1'] });
    // these two share the next group, which has nothing to write but the refusal's broken statement
    const hiding = hidingRefusal();
    const unchanged = putMembership(d, 'g', { user: 'same', org: 'o', permissions: ['s:1'] });
    await opener;
    await expect(hiding).rejects.toThrow('refused after a failed statement');
    // its read ran in the aborted transaction: it is answered from a run of its own instead
    expect(await unchanged).toMatchObject({ created: false, membership: { revision: standing.revision } });
    await expectConsistent();
  });
}
