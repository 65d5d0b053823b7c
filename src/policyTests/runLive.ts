import crypto from 'node:crypto';
import type { Realmgate } from '@realmgate/client';
import { membershipKey } from '../services/membershipInput';
import { realmSetups, resolveChecks } from './fixtures';
import { judge, type Answer, type TestOutcome } from './outcome';
import type { PolicyTestFile } from './testFile';


/** A realm name of its own for each fixture realm, so a run never touches a realm that exists. */
function scratchNames(): (realm: string) => string {
  const suffix = crypto.randomBytes(4).toString('hex');
  return (realm) => `${realm.slice(0, 50)}-t${suffix}`;
}

/**
 * Runs a file's tests against a live sidecar: writes the fixtures into scratch realms through the
 * HTTP API, asks the checks in batches, and deletes the realms whatever happens. Times are moved
 * so that the file's `now` is the moment of writing. What a live sidecar cannot be made to hold
 * is skipped, with the reason: tests at another instant than `now`, and checks that meet a
 * membership already expired at `now` (the API refuses expiries in the past).
 */
export async function runLive(file: string, suite: PolicyTestFile, client: Realmgate): Promise<TestOutcome[]> {
  const setups = realmSetups(file, suite);
  const checks = resolveChecks(file, suite);
  const scratch = scratchNames();
  const fileNow = Date.parse(suite.now);
  const unwritable = new Set<string>();
  const created: string[] = [];
  try {
    const shift = Date.now() - fileNow;
    for (const setup of setups) {
      const realm = client.realm(scratch(setup.realm));
      await realm.create();
      created.push(realm.name);
      for (const org of setup.orgs) await realm.putOrg(org);
      for (const [user, state] of setup.users) await realm.putUser(user, { state });
      for (const role of setup.roles) await realm.putRole(role.name, role.permissions);
      const memberships = setup.memberships.flatMap((m) => {
        const expiresAt = m.expiresAt === null ? null : Date.parse(m.expiresAt);
        if (expiresAt !== null && expiresAt <= fileNow) {
          unwritable.add(`${setup.realm}\u0000${membershipKey(m.user, m.org)}`);
          return [];
        }
        return [{ user: m.user, org: m.org, roles: m.roles, permissions: m.permissions, expiresAt: expiresAt === null ? null : new Date(expiresAt + shift).toISOString() }];
      });
      if (memberships.length > 0) await realm.sync(memberships);
    }

    const outcomes: (TestOutcome | undefined)[] = suite.tests.map((test, i) => {
      const c = checks[i];
      if (c.now !== fileNow) return { name: test.name, status: 'skipped', message: 'decided at its own now, which only the offline runner can do', durationMs: 0 };
      if (unwritable.has(`${c.realm}\u0000${membershipKey(c.subject, c.org)}`)) {
        return { name: test.name, status: 'skipped', message: 'meets a membership already expired at now, which a live sidecar cannot be given', durationMs: 0 };
      }
      return undefined;
    });
    const pending = outcomes.flatMap((o, i) => (o === undefined ? [i] : []));
    const started = performance.now();
    const results = await client.checkMany(pending.map((i) => ({ realm: scratch(checks[i].realm), subject: checks[i].subject, org: checks[i].org, permission: checks[i].permission })), { timeoutMs: 60_000 });
    const each = (performance.now() - started) / Math.max(1, pending.length);
    pending.forEach((i, k) => {
      const r = results[k];
      const answer: Answer = r.allowed ? { allowed: true, reason: r.reason, grant: r.match?.grant, role: r.match?.role ?? null } : { allowed: false, reason: r.reason };
      outcomes[i] = judge(suite.tests[i], answer, each);
    });
    return outcomes as TestOutcome[];
  } finally {
    for (const realm of created) await client.realm(realm).delete().catch(() => undefined);
  }
}
