import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { decide } from '../../src/engine/decide';
import type { Change } from '../../src/engine/records';
import { AppError } from '../../src/errors';
import { applyMembershipBatch } from '../../src/services/applyMembershipBatch';
import { deleteMembership } from '../../src/services/deleteMembership';
import { listChanges } from '../../src/services/listChanges';
import { deleteOrg, putOrg } from '../../src/services/orgs';
import { putMembership } from '../../src/services/putMembership';
import { deleteRealm, putRealm } from '../../src/services/realms';
import { putRole } from '../../src/services/roles';
import { syncMemberships } from '../../src/services/syncMemberships';
import { deleteUser, putUser } from '../../src/services/users';
import { ChangeApplier } from '../../src/store/changeApplier';
import { loadState } from '../../src/store/loadState';
import { Writer } from '../../src/store/writer';
import { MIGRATIONS_DIR } from '../../src/store/migrate';
import { startHarness, type Backend, type Harness } from '../support/harness';
import { describeState, storedAndDerivedRules } from '../support/stateDigest';

/**
 * The storage contract, written once and run against every backend (PGlite and PostgreSQL):
 * records and rules are written together or not at all, memory follows the database, revisions
 * are gap-free and ordered, expiry deletes, and a restart keeps everything.
 */
export function storageContract(backend: Backend): void {
  let h: Harness;
  const deps = () => h.runtime.deps;
  const allowed = (realm: string, subject: string, org: string | null, permission: string) =>
    decide(deps().state, { realm, subject, org, permission }, h.clock.now());

  beforeAll(async () => {
    h = await startHarness({ backend });
  });
  afterAll(() => h?.close());

  test('migrations are recorded as prisma migrate deploy records them', async () => {
    const rows = await deps().db.prisma.$queryRawUnsafe<{ migration_name: string; checksum: string; finished_at: Date | null; applied_steps_count: number }[]>(
      'SELECT migration_name, checksum, finished_at, applied_steps_count FROM "_prisma_migrations" ORDER BY migration_name',
    );
    const onDisk = fs
      .readdirSync(MIGRATIONS_DIR, { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => e.name)
      .sort();
    expect(rows.map((r) => r.migration_name)).toEqual(onDisk);
    for (const row of rows) {
      const sql = fs.readFileSync(path.join(MIGRATIONS_DIR, row.migration_name, 'migration.sql'));
      expect(row.checksum).toBe(crypto.createHash('sha256').update(sql).digest('hex'));
      expect(row.finished_at).not.toBeNull();
      expect(row.applied_steps_count).toBe(1);
    }
  });

  test('records, casbin_rule and memory agree after every kind of write', async () => {
    const d = deps();
    await putRealm(d, 'c1');
    await putRealm(d, 'c2');
    await putRole(d, 'c1', 'admin', ['orders:*', 'reports.read']);
    await putRole(d, 'c1', 'member', ['orders:ro']);
    await putRole(d, 'c2', 'admin', ['everything:*']);
    await putMembership(d, 'c1', { user: 'ann', org: 'eng', roles: ['admin'], permissions: ['widget:1'] });
    await putMembership(d, 'c1', { user: 'ann', org: 'ops', roles: ['member'] });
    await putMembership(d, 'c1', { user: 'ann', permissions: ['billing:read'] });
    await putMembership(d, 'c1', { user: 'bob', org: 'eng', roles: ['member'], permissions: ['x:1', 'x:2'] });
    await putMembership(d, 'c2', { user: 'ann', org: 'eng', roles: ['admin'] });
    await putRole(d, 'c1', 'member', ['orders:ro', 'orders:list']);
    await putMembership(d, 'c1', { user: 'bob', org: 'eng', permissions: ['x:3'] });
    await applyMembershipBatch(d, 'c1', {
      upsert: [{ user: 'cat', org: 'eng', roles: ['member'] }, { user: 'dan', org: 'ops', permissions: ['y:*'] }],
      delete: [{ user: 'ann', org: 'ops' }],
    });
    await putUser(d, 'c1', 'dan', 'disabled');
    await deleteOrg(d, 'c1', 'ops');
    await deleteUser(d, 'c1', 'cat');
    await deleteMembership(d, 'c1', 'ann', null);
    await syncMemberships(d, 'c2', { org: 'eng' }, [{ user: 'eve', roles: ['admin'] }]);

    const { stored, derived } = await storedAndDerivedRules(d.db.prisma);
    expect(stored).toEqual(derived);
    expect(stored.length).toBeGreaterThan(5);
    const fresh = await loadState(d.db);
    expect(await describeState(d.state)).toEqual(await describeState(fresh));
    expect(fresh.revision).toBe(d.state.revision);

    expect(allowed('c1', 'ann', 'eng', 'orders:rw').allowed).toBe(true);
    expect(allowed('c1', 'bob', 'eng', 'x:1')).toEqual({ allowed: false, reason: 'no_grant' });
    expect(allowed('c1', 'ann', 'ops', 'orders:ro')).toEqual({ allowed: false, reason: 'unknown_org' });
    expect(allowed('c1', 'cat', 'eng', 'orders:ro')).toEqual({ allowed: false, reason: 'unknown_user' });
    expect(allowed('c1', 'ann', null, 'billing:read')).toEqual({ allowed: false, reason: 'no_membership' });
    expect(allowed('c2', 'ann', 'eng', 'orders:rw')).toEqual({ allowed: false, reason: 'no_membership' });
    expect(allowed('c2', 'eve', 'eng', 'everything:now').allowed).toBe(true);
  });

  test('a write that fails leaves records, rules, change log and memory untouched', async () => {
    const d = deps();
    const everything = async () => ({
      changes: await d.db.prisma.change.count(),
      rules: await storedAndDerivedRules(d.db.prisma),
      memberships: await d.db.prisma.membership.count(),
      users: await d.db.prisma.user.count(),
      orgs: await d.db.prisma.org.count(),
      memory: await describeState(d.state),
      revision: d.state.revision,
    });
    await putRealm(d, 'atomic');
    await putRole(d, 'atomic', 'viewer', ['doc:read']);
    await putMembership(d, 'atomic', { user: 'u1', org: 'o1', roles: ['viewer'] });
    const before = await everything();
    const attempt = applyMembershipBatch(d, 'atomic', {
      upsert: [
        { user: 'u2', org: 'o2', roles: ['viewer'] },
        { user: 'u3', org: 'o3', permissions: ['ok:1'] },
        { user: 'u4', org: 'o2', roles: ['no-such-role'] },
      ],
      delete: [{ user: 'u1', org: 'o1' }],
    });
    await expect(attempt).rejects.toMatchObject({ status: 422, code: 'unknown_role', field: 'upsert[2].roles[0]' });
    await expect(attempt).rejects.toBeInstanceOf(AppError);
    expect(await everything()).toEqual(before);
  });

  test('concurrent writes get consecutive revisions in commit order, and memory applies each once', async () => {
    const d = deps();
    await putRealm(d, 'busy');
    const start = d.state.revision;
    const applied: number[] = [];
    const listener = (c: Change) => applied.push(c.revision);
    h.runtime.applier.onApplied(listener);
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => putMembership(d, 'busy', { user: `u${i}`, org: 'o', permissions: [`t:${i}`] })),
    );
    const revisions = results.map((r) => r.revision).sort((a, b) => a - b);
    expect(revisions).toEqual(Array.from({ length: 20 }, (_, i) => start + 1 + i));
    expect(applied.filter((r) => r > start)).toEqual(revisions);
    const log = await d.db.prisma.change.findMany({ where: { revision: { gt: BigInt(start) } }, orderBy: { revision: 'asc' } });
    expect(log.map((c) => Number(c.revision))).toEqual(revisions);
    for (let i = 0; i < 20; i += 1) expect(allowed('busy', `u${i}`, 'o', `t:${i}`).allowed).toBe(true);
  });

  test('from expiresAt on a membership denies, and the service deletes it with reason expired', async () => {
    const d = deps();
    await putRealm(d, 'temp');
    const expiresAt = h.clock.now() + 1500;
    const deleted = new Promise<Change>((resolve) => {
      h.runtime.applier.onApplied((c) => {
        if (c.realm === 'temp' && c.ops.some((op) => op.type === 'membership.deleted')) resolve(c);
      });
    });
    await putMembership(d, 'temp', { user: 'contractor', org: 'o', permissions: ['research:read'], expiresAt: new Date(expiresAt).toISOString() });
    expect(allowed('temp', 'contractor', 'o', 'research:read').allowed).toBe(true);
    expect(decide(d.state, { realm: 'temp', subject: 'contractor', org: 'o', permission: 'research:read' }, expiresAt - 1).allowed).toBe(true);
    expect(decide(d.state, { realm: 'temp', subject: 'contractor', org: 'o', permission: 'research:read' }, expiresAt)).toEqual({
      allowed: false,
      reason: 'expired',
    });

    const change = await deleted;
    expect(h.clock.now()).toBeGreaterThanOrEqual(expiresAt);
    expect(change.ops).toEqual([
      { type: 'membership.deleted', realm: 'temp', user: 'contractor', org: 'o', reason: 'expired', previous: { roles: [], permissions: ['research:read'], expiresAt: new Date(expiresAt).toISOString() } },
    ]);
    expect(await d.db.prisma.membership.count({ where: { realm: 'temp' } })).toBe(0);
    expect(await d.db.prisma.casbinRule.count({ where: { v1: 'temp/o' } })).toBe(0);
    expect(allowed('temp', 'contractor', 'o', 'research:read')).toEqual({ allowed: false, reason: 'no_membership' });
    const feed = await listChanges(d, 'temp', 0, 100);
    expect(feed.events.at(-1)).toMatchObject({ type: 'membership.deleted', data: { user: 'contractor', org: 'o', reason: 'expired' } });
  });

  test('a restart keeps everything and deletes what expired while it was down', async () => {
    const d = deps();
    await putRealm(d, 'durable');
    await putRole(d, 'durable', 'admin', ['orders:*']);
    await putMembership(d, 'durable', { user: 'ann', org: 'eng', roles: ['admin'], permissions: ['widget:7'] });
    await putMembership(d, 'durable', { user: 'tmp', org: 'eng', permissions: ['a:1'], expiresAt: new Date(h.clock.now() + 3_600_000).toISOString() });
    await putUser(d, 'durable', 'off', 'disabled');
    const before = await describeState(d.state);
    const revision = d.state.revision;

    await h.restart();
    expect(h.runtime.deps.state.revision).toBe(revision);
    expect(await describeState(h.runtime.deps.state)).toEqual(before);
    expect(allowed('durable', 'ann', 'eng', 'orders:rw').allowed).toBe(true);
    expect(allowed('durable', 'off', 'eng', 'a:1')).toEqual({ allowed: false, reason: 'user_disabled' });

    h.clock.advance(3_600_000);
    await h.restart();
    expect(allowed('durable', 'tmp', 'eng', 'a:1')).toEqual({ allowed: false, reason: 'no_membership' });
    expect(h.runtime.deps.state.revision).toBe(revision + 1);
    expect(allowed('durable', 'ann', 'eng', 'widget:7').allowed).toBe(true);
  });

  test('changes committed by another writer on the same database are caught up from the log, in order', async () => {
    const d = deps();
    await putRealm(d, 'shared');
    // a second sidecar's view of the same database
    const otherState = await loadState(d.db);
    const other = { ...d, state: otherState, writer: new Writer(d.db, new ChangeApplier(d.db, otherState, (err) => {
        throw err;
      })) };
    const seen: number[] = [];
    h.runtime.applier.onApplied((c) => seen.push(c.revision));
    await putRole(other, 'shared', 'admin', ['orders:*']);
    await putMembership(other, 'shared', { user: 'ann', org: 'eng', roles: ['admin'] });

    // on PostgreSQL a notification may bring them in before; at the latest, the next own write does
    const mine = await putMembership(d, 'shared', { user: 'bob', org: 'eng', roles: ['admin'] });
    expect(seen).toEqual([mine.revision - 2, mine.revision - 1, mine.revision]);
    expect(allowed('shared', 'ann', 'eng', 'orders:rw').allowed).toBe(true);
    expect(await describeState(d.state)).toEqual(await describeState(await loadState(d.db)));
  });

  test('memory that no longer matches the records is replaced by the database state', async () => {
    await putRealm(deps(), 'heal');
    // a sidecar of its own, so that the corruption below is the only thing touching its memory
    const state = await loadState(deps().db);
    const errors: unknown[] = [];
    const quiet = new ChangeApplier(deps().db, state, (err) => errors.push(err));
    const d = { ...deps(), state, writer: new Writer(deps().db, quiet) };
    await putMembership(d, 'heal', { user: 'zed', org: 'o', permissions: ['x:1'] });
    // corrupt memory: the realm the next change names is gone from it
    state.realms.delete('heal');
    await putMembership(d, 'heal', { user: 'zed', org: 'o', permissions: ['x:2'] });
    expect(errors).toHaveLength(1);
    expect(String(errors[0])).toMatch(/unknown realm heal/);
    expect(await describeState(state)).toEqual(await describeState(await loadState(d.db)));
    expect(decide(state, { realm: 'heal', subject: 'zed', org: 'o', permission: 'x:2' }, Date.now()).allowed).toBe(true);
  });

  test('loading memberships a page at a time gives the same state as loading at once', async () => {
    const d = deps();
    for (const realm of ['paged_a', 'paged_b']) {
      await putRealm(d, realm);
      await putRole(d, realm, 'admin', ['orders:*', 'reports.read']);
      for (let i = 0; i < 7; i += 1) {
        await putMembership(d, realm, { user: `u${i % 3}`, org: `o${i}`, roles: ['admin'], permissions: [`t:${i}`, 'w:*'] });
      }
    }
    const whole = await describeState(await loadState(d.db));
    for (const pageSize of [1, 2, 5]) {
      expect(await describeState(await loadState(d.db, undefined, pageSize))).toEqual(whole);
      expect(await describeState(await loadState(d.db, ['paged_b'], pageSize))).toEqual(await describeState(await loadState(d.db, ['paged_b'])));
    }
    expect(whole.records.filter((r) => r.startsWith('membership paged_')).length).toBe(2 * 7);
  });

  test('deleting a user or a realm never touches a realm whose name differs only where "_" stands', async () => {
    const d = deps();
    for (const realm of ['a_b', 'axb', 'a_bc']) {
      await putRealm(d, realm);
      await putRole(d, realm, 'admin', ['orders:*']);
      await putMembership(d, realm, { user: 'bob', org: 'eng', roles: ['admin'], permissions: ['orders:rw'] });
      await putMembership(d, realm, { user: 'bob', permissions: ['billing:read'] });
    }
    await deleteUser(d, 'a_b', 'bob');
    await deleteRealm(d, 'a_b');
    const { stored, derived } = await storedAndDerivedRules(d.db.prisma);
    expect(stored).toEqual(derived);
    expect(stored.filter((r) => r.includes(' axb')).length).toBe(4);
    expect(await describeState(d.state)).toEqual(await describeState(await loadState(d.db)));
    for (const realm of ['axb', 'a_bc']) {
      expect(allowed(realm, 'bob', 'eng', 'orders:rw').allowed).toBe(true);
      expect(allowed(realm, 'bob', null, 'billing:read').allowed).toBe(true);
    }
  });

  test('deleting a realm deletes everything in it and nothing outside it', async () => {
    const d = deps();
    await putRealm(d, 'gone');
    await putRealm(d, 'gone2');
    for (const realm of ['gone', 'gone2']) {
      await putRole(d, realm, 'admin', ['x:*']);
      await putOrg(d, realm, 'o');
      await putMembership(d, realm, { user: 'same-user', org: 'o', roles: ['admin'], permissions: ['y:1'] });
      await putMembership(d, realm, { user: 'same-user', permissions: ['z:1'] });
    }
    await deleteRealm(d, 'gone');
    const p = d.db.prisma;
    expect(await p.membership.count({ where: { realm: 'gone' } })).toBe(0);
    expect(await p.role.count({ where: { realm: 'gone' } })).toBe(0);
    expect(await p.user.count({ where: { realm: 'gone' } })).toBe(0);
    expect(await p.org.count({ where: { realm: 'gone' } })).toBe(0);
    expect(await p.casbinRule.count({ where: { OR: [{ v1: { startsWith: 'gone/' } }, { v1: 'gone' }, { v2: { startsWith: 'gone/' } }] } })).toBe(0);
    expect(allowed('gone', 'same-user', 'o', 'x:1')).toEqual({ allowed: false, reason: 'unknown_realm' });
    expect(allowed('gone2', 'same-user', 'o', 'x:1').allowed).toBe(true);
    expect(allowed('gone2', 'same-user', null, 'z:1').allowed).toBe(true);
    const { stored, derived } = await storedAndDerivedRules(p);
    expect(stored).toEqual(derived);
  });

  test('a sync larger than one statement takes (5,000 memberships over an existing 5,000) is stored whole: records, rules and memory agree', async () => {
    const d = deps();
    await putRealm(d, 'big');
    await putRole(d, 'big', 'reader', ['reports.read']);
    const everyone = (tag: string) => Array.from({ length: 5000 }, (_, i) => ({ user: `u${i}`, org: `o${i % 7}`, roles: i % 2 ? ['reader'] : [], permissions: [tag] }));
    await syncMemberships(d, 'big', {}, everyone('doc:v1'));
    const before = await loadState(d.db);
    const second = await syncMemberships(d, 'big', {}, everyone('doc:v2').slice(0, 4500));
    expect(second).toMatchObject({ upserted: 4500, deleted: 500, unchanged: 0 });
    expect(await d.db.prisma.membership.count({ where: { realm: 'big' } })).toBe(4500);
    const { stored, derived } = await storedAndDerivedRules(d.db.prisma);
    expect(stored).toEqual(derived);
    expect(await describeState(d.state)).toEqual(await describeState(await loadState(d.db)));
    expect(allowed('big', 'u4499', `o${4499 % 7}`, 'doc:v2').allowed).toBe(true);
    expect(allowed('big', 'u4500', `o${4500 % 7}`, 'doc:v1')).toMatchObject({ allowed: false, reason: 'no_membership' });
    // its log entry (sent in pieces) holds the whole change: a state from before it, caught up from the log, agrees
    const errors: unknown[] = [];
    await new ChangeApplier(d.db, before, (err) => errors.push(err)).catchUp();
    expect(errors).toEqual([]);
    expect(before.revision).toBe(second.revision);
    expect(await describeState(before)).toEqual(await describeState(d.state));
    expect(await d.db.prisma.changeLogPart.count()).toBe(0);
  }, 120_000);
}
