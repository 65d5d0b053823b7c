import { describeWithPostgres, createScratchDatabase } from '../support/postgres';
import { expectConverged, Fleet, FleetDatabase, Ledger, sleep, streamWrites, waitFor, type Decision, type Sidecar } from '../support/fleet';

const ADVISORY_LOCKS_HELD = `
  SELECT count(*)::int AS held FROM pg_locks l JOIN pg_stat_activity s ON s.pid = l.pid
   WHERE l.locktype = 'advisory' AND l.granted AND s.application_name = $1`;

/**
 * A sidecar frozen (SIGSTOP) while the others write and compact the log past it: when it runs
 * again it finds the changes it needs gone, loads the policy whole in the background while it
 * keeps answering from its old state, and swaps: its decisions never go back in revision, and a
 * grant never flickers.
 */
describeWithPostgres('fleet: a sidecar that fell behind the retained change log', () => {
  let scratch: Awaited<ReturnType<typeof createScratchDatabase>>;
  let fleet: Fleet;
  let db: FleetDatabase;
  let a: Sidecar;
  let frozen: Sidecar;
  let c: Sidecar;
  const ledger = new Ledger();
  const retention = { REALMGATE_LOG_RETENTION_SECONDS: '1' };

  beforeAll(async () => {
    scratch = await createScratchDatabase();
    fleet = new Fleet(scratch.url);
    a = fleet.add('sidecar-a', retention);
    frozen = fleet.add('sidecar-frozen', retention);
    c = fleet.add('sidecar-c', retention);
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

  const grant = async (writer: Sidecar, user: string, permission: string) => {
    const reply = await writer.put(`/v1/realms/keep/users/${user}/memberships/eng`, { permissions: [permission] });
    if (reply.status !== 201 && reply.status !== 200) throw new Error(`write answered ${reply.status} ${JSON.stringify(reply.body)}`);
    ledger.record({ realm: 'keep', user, org: 'eng', permissions: [permission], revision: reply.body.revision });
    return reply;
  };

  /** SIGSTOP, but never while the sidecar holds an advisory lock (a frozen compaction would stop everyone's). */
  const freeze = async (s: Sidecar) => {
    for (let attempt = 0; attempt < 20; attempt += 1) {
      await s.signal('SIGSTOP');
      const [{ held }] = await db.query<{ held: number }>(ADVISORY_LOCKS_HELD, [s.name]);
      if (held === 0) return;
      await s.signal('SIGCONT');
      await sleep(50);
    }
    throw new Error(`${s.name} kept holding an advisory lock`);
  };

  test('SIGSTOP past compaction, SIGCONT: it reloads whole, converges, and its answers only move forward', async () => {
    expect((await a.put('/v1/realms/keep')).status).toBe(201);
    await grant(a, 'stable', 'keep:1');
    await expectConverged(fleet, db);
    const appliedBefore = await frozen.metric('realmgate_changes_applied_total');

    await freeze(frozen);
    let resumed = false;
    try {
      const stoppedAt = await db.head();
      const { failed } = await streamWrites({ writers: [a], count: 80, perWriter: 2, write: (w, i) => grant(w, `g${i}`, `g:${i}`) });
      expect(failed).toEqual([]);
      // compaction (every second, entries older than a second) removes what the frozen sidecar needs next
      await waitFor('the log to be compacted past the frozen sidecar', async () => (await db.oldest()) > stoppedAt + 1, { timeoutMs: 15_000, fleet });
      const head = await db.head();
      // a read of the log from there is refused now
      expect((await a.request('GET', `/v1/realms/keep/changes?after=${stoppedAt}`)).status).toBe(410);

      // watch it from the moment it runs again, while writes go on
      const watched = ['stable', 'g0', 'g79'];
      const answers: { status: number; results?: Decision[] }[] = [];
      let watching = true;
      const watcher = (async () => {
        while (watching) {
          const r = await frozen.checkBatch(watched.map((u, i) => ({ realm: 'keep', subject: u, org: 'eng', permission: ['keep:1', 'g:0', 'g:79'][i] })));
          answers.push({ status: r.status, results: r.body.results });
          await sleep(5);
        }
      })();
      await sleep(50); // the first batch is queued at the frozen process
      await frozen.signal('SIGCONT');
      resumed = true;
      const more = await streamWrites({ writers: [a, c], count: 40, perWriter: 1, pauseMs: 10, write: (w, i) => grant(w, `h${i}`, `h:${i}`) });
      expect(more.failed).toEqual([]);
      await waitFor('the resumed sidecar to reach the head', async () => (await frozen.state()).revision >= head, { fleet, timeoutMs: 20_000 });
      await expectConverged(fleet, db);
      await sleep(100);
      watching = false;
      await watcher;

      expect(answers.length).toBeGreaterThan(10);
      expect(answers.filter((r) => r.status !== 200)).toEqual([]);
      const revisions = answers.map((r) => r.results?.[0].revision ?? -1);
      expect(revisions[0]).toBeLessThanOrEqual(stoppedAt);
      expect(revisions[revisions.length - 1]).toBeGreaterThanOrEqual(head);
      const backwards = revisions.flatMap((r, i) => (i > 0 && r < revisions[i - 1] ? [`${revisions[i - 1]} -> ${r} at ${i}`] : []));
      expect(backwards).toEqual([]);
      for (const r of answers) {
        // all of one batch at one revision
        expect(new Set(r.results?.map((d) => d.revision)).size).toBe(1);
        // granted before the freeze, granted throughout
        expect(r.results?.[0]).toMatchObject({ allowed: true });
      }
      for (const column of [1, 2]) {
        const seen = answers.map((r) => (r.results?.[column].allowed ? 1 : 0)).join('');
        expect(seen).toMatch(/^0*1+$/); // denied until it arrives, then granted for good
      }

      // it could not have applied the compacted changes one by one: it loaded whole
      const applied = (await frozen.metric('realmgate_changes_applied_total')) - appliedBefore;
      const advanced = (await frozen.state()).revision - stoppedAt;
      expect(applied).toBeLessThan(advanced);
      expect(await frozen.readyz()).toMatchObject({ ready: true, lag: 0, listening: true });
      await ledger.expectPresent(fleet.sidecars);
    } finally {
      if (!resumed) await frozen.signal('SIGCONT');
    }
  }, 120_000);
});
