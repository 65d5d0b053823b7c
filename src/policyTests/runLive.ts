import crypto from 'node:crypto';
import { membershipKey } from '../services/membershipInput';
import { realmSetups, resolveChecks } from './fixtures';
import type { LiveApi } from './liveApi';
import { judge, type Answer, type TestOutcome } from './outcome';
import type { PolicyTestFile } from './testFile';

const BATCH = 1000;

interface LiveDecision {
  allowed: boolean;
  reason: string;
  match?: { grant: string; role: string | null };
}

/** A realm name of its own for each fixture realm, so a run never touches a realm that exists. */
function scratchNames(): (realm: string) => string {
  const suffix = crypto.randomBytes(4).toString('hex');
  return (realm) => `${realm.slice(0, 50)}-t${suffix}`;
}

const path = encodeURIComponent;

/**
 * Runs a file's tests against a live sidecar: writes the fixtures into scratch realms through the
 * HTTP API, asks the checks in batches, and deletes the realms whatever happens. Times are moved
 * so that the file's `now` is the moment of writing. What a live sidecar cannot be made to hold
 * is skipped, with the reason: tests at another instant than `now`, and checks that meet a
 * membership already expired at `now` (the API refuses expiries in the past).
 */
export async function runLive(file: string, suite: PolicyTestFile, api: LiveApi): Promise<TestOutcome[]> {
  const setups = realmSetups(file, suite);
  const checks = resolveChecks(file, suite);
  const scratch = scratchNames();
  const fileNow = Date.parse(suite.now);
  const unwritable = new Set<string>();
  const created: string[] = [];
  try {
    const shift = Date.now() - fileNow;
    for (const setup of setups) {
      const realm = path(scratch(setup.realm));
      await api.call('PUT', `/v1/realms/${realm}`);
      created.push(realm);
      for (const org of setup.orgs) await api.call('PUT', `/v1/realms/${realm}/orgs/${path(org)}`);
      for (const [user, state] of setup.users) await api.call('PUT', `/v1/realms/${realm}/users/${path(user)}`, { state });
      for (const role of setup.roles) await api.call('PUT', `/v1/realms/${realm}/roles/${path(role.name)}`, { permissions: role.permissions });
      const memberships = setup.memberships.flatMap((m) => {
        const expiresAt = m.expiresAt === null ? null : Date.parse(m.expiresAt);
        if (expiresAt !== null && expiresAt <= fileNow) {
          unwritable.add(`${setup.realm}\u0000${membershipKey(m.user, m.org)}`);
          return [];
        }
        return [{ user: m.user, org: m.org, roles: m.roles, permissions: m.permissions, expiresAt: expiresAt === null ? null : new Date(expiresAt + shift).toISOString() }];
      });
      if (memberships.length > 0) await api.call('PUT', `/v1/realms/${realm}/memberships`, { memberships });
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
    for (let from = 0; from < pending.length; from += BATCH) {
      const indices = pending.slice(from, from + BATCH);
      const started = performance.now();
      const body = { checks: indices.map((i) => ({ realm: scratch(checks[i].realm), subject: checks[i].subject, org: checks[i].org, permission: checks[i].permission })) };
      const { results } = await api.call<{ results: LiveDecision[] }>('POST', '/v1/check/batch', body);
      const each = (performance.now() - started) / indices.length;
      indices.forEach((i, k) => {
        const r = results[k];
        const answer: Answer = r.allowed ? { allowed: true, reason: r.reason, grant: r.match?.grant, role: r.match?.role ?? null } : { allowed: false, reason: r.reason };
        outcomes[i] = judge(suite.tests[i], answer, each);
      });
    }
    return outcomes as TestOutcome[];
  } finally {
    for (const realm of created) await api.call('DELETE', `/v1/realms/${realm}`).catch(() => undefined);
  }
}
