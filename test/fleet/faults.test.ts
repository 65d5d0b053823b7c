import pg from 'pg';
import { describeWithPostgres, createScratchDatabase, POSTGRES_ADMIN_URL } from '../support/postgres';
import { expectConverged, Fleet, FleetDatabase, isListener, Ledger, sleep, streamWrites, waitFor, type Sidecar } from '../support/fleet';

/**
 * Faults in a fleet of real sidecar processes on one PostgreSQL database: a sidecar killed with
 * SIGKILL in the middle of a stream of writes, all of a sidecar's connections terminated by the
 * server, its LISTEN connection lost (once for long, and over and over). After each, every
 * sidecar stands at the head revision with the same digest, and every acknowledged write is there.
 */
describeWithPostgres('fleet: faults', () => {
  let scratch: Awaited<ReturnType<typeof createScratchDatabase>>;
  let fleet: Fleet;
  let db: FleetDatabase;
  /** a role of this file's own, so that its sidecars can be kept from connecting while the others go on */
  const role = `rg_fleet_${process.pid}_${Date.now().toString(36)}`;
  let a: Sidecar;
  let b: Sidecar;
  let c: Sidecar;
  /** connects as `role`; polls the head only once an hour: it learns of changes by notification and on reconnecting */
  let deaf: Sidecar;
  /** connects as `role`; polls the head every 100 ms */
  let poller: Sidecar;
  const ledger = new Ledger();

  const adminQuery = async (sql: string) => {
    const client = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };

  beforeAll(async () => {
    scratch = await createScratchDatabase();
    fleet = new Fleet(scratch.url);
    a = fleet.add('sidecar-a');
    b = fleet.add('sidecar-b');
    c = fleet.add('sidecar-c');
    deaf = fleet.add('sidecar-deaf', { REALMGATE_POLL_MS: '3600000' }, { user: role });
    poller = fleet.add('sidecar-poller', { REALMGATE_POLL_MS: '100' }, { user: role });
    db = await FleetDatabase.connect(scratch.url);
    await a.start(); // applies the migrations, as the database's owner
    await adminQuery(`CREATE ROLE "${role}" LOGIN`);
    await db.query(`GRANT USAGE, CREATE ON SCHEMA public TO "${role}"`);
    await db.query(`GRANT ALL ON ALL TABLES IN SCHEMA public TO "${role}"`);
    await db.query(`GRANT ALL ON ALL SEQUENCES IN SCHEMA public TO "${role}"`);
    await Promise.all([b, c, deaf, poller].map((s) => s.start()));
    expect((await a.put('/v1/realms/fleet')).status).toBe(201);
    const seeded = await a.put('/v1/realms/fleet/roles/member', { permissions: ['base:read'] });
    expect(seeded.status).toBe(201);
  }, 180_000);

  afterAll(async () => {
    try {
      await fleet?.close();
      await db?.close();
    } finally {
      try {
        await scratch?.drop();
      } finally {
        await adminQuery(`DROP ROLE IF EXISTS "${role}"`);
      }
    }
  }, 60_000);

  const membershipWrite = (tag: string) => async (writer: Sidecar, i: number) => {
    const user = `${tag}${i}`;
    const org = `o${i % 7}`;
    const reply = await writer.put(`/v1/realms/fleet/users/${user}/memberships/${org}`, { roles: ['member'], permissions: [`${tag}:${i}`] });
    if (reply.status !== 201 && reply.status !== 200) throw new Error(`${writer.name}: write ${i} answered ${reply.status} ${JSON.stringify(reply.body)}`);
    ledger.record({ realm: 'fleet', user, org, permissions: ['base:read', `${tag}:${i}`], revision: reply.body.revision });
    return reply;
  };

  test('SIGKILL one sidecar in the middle of 200+ concurrent writes through two others, restart it: it converges, nothing acknowledged is lost', async () => {
    let acked = 0;
    let ackedAtKill = -1;
    let ackedAtRestart = -1;
    let restarted: Promise<void> | undefined;
    const before = ledger.acknowledged;
    const { failed, answered } = await streamWrites({
      writers: [a, b],
      count: 200,
      max: 800,
      perWriter: 3,
      // go on until the restarted sidecar has followed a good number of writes live
      more: () => ackedAtRestart < 0 || acked < ackedAtRestart + 40,
      write: membershipWrite('k'),
      onAnswer: () => {
        acked += 1;
        if (acked === 60) {
          ackedAtKill = acked;
          restarted = c.kill9().then(async () => {
            expect(c.running).toBe(false);
            await c.start();
            ackedAtRestart = acked;
          });
        }
      },
    });
    await restarted;
    expect(failed).toEqual([]);
    expect(answered).toBeGreaterThanOrEqual(200);
    expect(ledger.acknowledged - before).toBe(answered);
    expect(ackedAtKill).toBe(60);
    // the restart happened in the middle of the stream, not after it
    expect(ackedAtRestart).toBeGreaterThan(ackedAtKill);
    expect(ackedAtRestart).toBeLessThan(answered - 39);
    expect(c.starts).toBe(2);

    await expectConverged(fleet, db);
    await ledger.expectPresent(fleet.sidecars);
    expect(await c.readyz()).toMatchObject({ ready: true, lag: 0, listening: true });
  }, 120_000);

  test('pg_terminate_backend on all of a sidecar\'s connections while writes go on elsewhere: it reconnects, listens again and catches up', async () => {
    const before = await db.connectionsOf('sidecar-c');
    expect(before.filter(isListener)).toHaveLength(1);
    let acked = 0;
    let terminated: { pid: number; query: string }[] = [];
    let terminating: Promise<void> | undefined;
    const { failed } = await streamWrites({
      writers: [a],
      count: 150,
      perWriter: 2,
      write: membershipWrite('t'),
      onAnswer: () => {
        acked += 1;
        if (acked === 40) terminating = db.terminate('sidecar-c').then((t) => void (terminated = t));
      },
    });
    await terminating;
    expect(failed).toEqual([]);
    expect(terminated.length).toBeGreaterThanOrEqual(2);
    expect(terminated.filter(isListener)).toHaveLength(1);
    // the sidecar noticed that it had lost its notifications
    await waitFor('sidecar-c to report the lost listener', async () => c.log.some((l) => /change notifications lost/.test(l)), { fleet });

    await waitFor('sidecar-c to listen again', async () => (await c.readyz()).listening, { fleet });
    const after = await db.connectionsOf('sidecar-c');
    const listener = after.filter(isListener);
    expect(listener).toHaveLength(1);
    expect(terminated.map((t) => t.pid)).not.toContain(listener[0].pid);
    await expectConverged(fleet, db);
    await ledger.expectPresent(fleet.sidecars);

    // and its own pool works again: a write through it, seen elsewhere
    const own = await membershipWrite('t')(c, 10_000);
    expect(own.status).toBe(201);
    const seen = await a.check({ realm: 'fleet', subject: 't10000', org: 'o4', permission: 't:10000', atLeast: own.body.revision });
    expect(seen.body.allowed).toBe(true);
    expect(await c.readyz()).toMatchObject({ ready: true, lag: 0, listening: true });
  }, 120_000);

  test('a change committed while a sidecar is not listening is applied once it listens again; one that polls converges while deaf', async () => {
    await expectConverged(fleet, db);
    const was = (await deaf.state()).revision;
    // the role may not log in any more: the two sidecars keep their pooled connections, but a lost listener stays lost
    await adminQuery(`ALTER ROLE "${role}" NOLOGIN`);
    let blocked = true;
    try {
      for (const s of [deaf, poller]) {
        const gone = await db.terminate(s.name, true);
        expect(gone).toHaveLength(1);
      }
      expect((await db.connectionsOf(poller.name)).length).toBeGreaterThanOrEqual(1); // its pool is untouched
      for (const s of [deaf, poller]) await waitFor(`${s.name} to stop listening`, async () => !(await s.readyz()).listening, { fleet });

      const { failed } = await streamWrites({ writers: [a, b], count: 30, perWriter: 1, write: membershipWrite('d') });
      expect(failed).toEqual([]);
      const head = await db.head();
      expect(head).toBeGreaterThanOrEqual(was + 30);

      // the poller follows by polling alone, still deaf
      await waitFor('the poller to reach the head by polling', async () => (await poller.state()).revision === head, { fleet });
      expect((await poller.state()).digest).toBe((await a.state()).digest);
      expect(await poller.readyz()).toMatchObject({ listening: false, revision: head });
      await ledger.expectPresent([poller]);

      // the deaf one has not moved: nothing told it (checks without atLeast, which would ask the log)
      await sleep(300);
      expect((await deaf.state()).revision).toBe(was);
      const late = await deaf.check({ realm: 'fleet', subject: 'd29', org: `o${29 % 7}`, permission: 'd:29' });
      expect([late.body.allowed, late.body.revision]).toEqual([false, was]);
      expect((await deaf.readyz()).listening).toBe(false);

      await adminQuery(`ALTER ROLE "${role}" LOGIN`);
      blocked = false;
    } finally {
      if (blocked) await adminQuery(`ALTER ROLE "${role}" LOGIN`);
    }
    // the listener's back-off is at most 5 s
    for (const s of [deaf, poller]) await waitFor(`${s.name} to listen again`, async () => (await s.readyz()).listening, { fleet, timeoutMs: 12_000 });
    await expectConverged(fleet, db);
    await ledger.expectPresent(fleet.sidecars);

    // notifications reach it again: a new write flips on it without atLeast, well before any poll
    const started = performance.now();
    const write = await membershipWrite('d')(b, 1_000);
    await waitFor('the deaf sidecar to hear of a new write', async () => (await deaf.check({ realm: 'fleet', subject: 'd1000', org: 'o6', permission: 'd:1000' })).body.allowed, {
      fleet,
      timeoutMs: 5_000,
      intervalMs: 10,
    });
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(write.status).toBe(201);
  }, 90_000);

  test('its LISTEN connection terminated over and over while writes flow: a sidecar that only hears notifications still ends at the head', async () => {
    let stop = false;
    let kills = 0;
    const killing = (async () => {
      while (!stop) {
        kills += (await db.terminate(deaf.name, true)).length;
        await sleep(120);
      }
    })();
    let writes: { failed: unknown[] } = { failed: [] };
    try {
      writes = await streamWrites({ writers: [a, b], count: 150, perWriter: 2, pauseMs: 5, write: membershipWrite('r') });
    } finally {
      stop = true;
      await killing;
    }
    expect(writes.failed).toEqual([]);
    expect(kills).toBeGreaterThanOrEqual(5);
    expect(deaf.log.filter((l) => /change notifications lost/.test(l)).length).toBeGreaterThanOrEqual(5);
    await waitFor('the deaf sidecar to listen again', async () => (await deaf.readyz()).listening, { fleet, timeoutMs: 12_000 });
    // one listener again, none left behind by the reconnections
    await waitFor('exactly one LISTEN connection of the deaf sidecar', async () => (await db.connectionsOf(deaf.name)).filter(isListener).length === 1, { fleet });
    await expectConverged(fleet, db);
    await ledger.expectPresent(fleet.sidecars);
  }, 120_000);
});
