import { PolicyState } from '../engine/policyState';
import { checkAccess } from '../services/checkAccess';
import { fixtureOps, realmSetups, resolveChecks } from './fixtures';
import { judge, type TestOutcome } from './outcome';
import type { PolicyTestFile } from './testFile';

/**
 * Runs a file's tests with the engine in process: the fixtures become the same ops a write
 * produces, applied to a fresh PolicyState the way committed changes are, and each check is
 * answered by the service's own check at the test's fixed instant. No server, no database.
 */
export async function runOffline(file: string, suite: PolicyTestFile): Promise<TestOutcome[]> {
  const setups = realmSetups(file, suite);
  const checks = resolveChecks(file, suite);
  const state = new PolicyState();
  let revision = 0;
  for (const setup of setups) {
    revision += 1;
    await state.apply({ revision, realm: setup.realm, ops: fixtureOps(setup) });
  }
  return suite.tests.map((test, i) => {
    const started = performance.now();
    const { now, ...check } = checks[i];
    const result = checkAccess({ state, config: {}, now: () => now }, check);
    const answer = result.allowed
      ? { allowed: true, reason: result.reason, grant: result.match.grant, role: result.match.role }
      : { allowed: false, reason: result.reason };
    return judge(test, answer, performance.now() - started);
  });
}
