import { putMembership } from '../../src/services/putMembership';
import { putRealm } from '../../src/services/realms';
import { ChangeApplier } from '../../src/store/changeApplier';
import { readChanges } from '../../src/store/changeLog';
import { loadState } from '../../src/store/loadState';
import { startHarness, type Harness } from '../support/harness';
import { describeState } from '../support/stateDigest';

/**
 * A catch-up (started by a commit's notification, which often arrives before the writer's answer)
 * stops short of the changes this process is committing; the writer hands them over, and the
 * catch-up then goes on from there.
 */
describe('changes this process is committing are taken in hand, not read back from the log', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
    await putRealm(h.runtime.deps, 'inhand');
  });
  afterAll(() => h.close());

  test('a catch-up stops before them, applies them in hand, then goes on with what follows', async () => {
    const d = h.runtime.deps;
    const behind = await loadState(d.db);
    const start = behind.revision;
    for (let i = 0; i < 3; i += 1) await putMembership(d, 'inhand', { user: `u${i}`, org: 'o', permissions: [`t:${i}`] });
    const errors: unknown[] = [];
    const applier = new ChangeApplier(d.db, behind, (err) => errors.push(err));
    const read = jest.spyOn(d.db.prisma.change, 'findMany');

    // revision start+2 is being committed here: the catch-up reads and applies only start+1
    applier.committing(start + 2);
    await applier.catchUp();
    expect(behind.revision).toBe(start + 1);

    // the writer hands start+2 over: nothing more is read for it
    const [inHand] = await readChanges(d.db.prisma, { after: start + 1, limit: 1 });
    read.mockClear();
    const applying = applier.applyCommitted([inHand]);
    applier.committed();
    await applying;
    expect(behind.revision).toBeGreaterThanOrEqual(start + 2);
    // the catch-up held back goes on after it, from the log
    for (let waited = 0; behind.revision < start + 3 && waited < 5_000; waited += 10) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(behind.revision).toBe(start + 3);
    // read from start+2 on (and once more at the end of the log), never start+2 itself again
    const readAfter = read.mock.calls.map(([args]) => Number((args?.where?.revision as { gt: bigint }).gt));
    expect(readAfter[0]).toBe(start + 2);
    expect(readAfter.every((after) => after >= start + 2)).toBe(true);
    read.mockRestore();
    expect(errors).toEqual([]);
    expect(await describeState(behind)).toEqual(await describeState(await loadState(d.db)));
  });

  test('when the commit fails, the catch-up held back reads on from the log', async () => {
    const d = h.runtime.deps;
    const behind = await loadState(d.db);
    const start = behind.revision;
    await putMembership(d, 'inhand', { user: 'late', org: 'o', permissions: ['l:1'] });
    const applier = new ChangeApplier(d.db, behind, () => undefined);
    applier.committing(start + 1);
    await applier.catchUp();
    expect(behind.revision).toBe(start);
    // nothing handed over: whatever the log holds is read
    applier.committed();
    for (let waited = 0; behind.revision < start + 1 && waited < 5_000; waited += 10) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(behind.revision).toBe(start + 1);
  });
});
