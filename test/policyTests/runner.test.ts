/**
 * The policy-test runner offline: the example twins pass, a failure names the file, the test and
 * the difference, bad files are reported with path and rule, and expiry is exact at a fixed now.
 */
import path from 'node:path';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { junitXml } from '../../src/policyTests/junit';
import { exitCode, runPolicyTests } from '../../src/policyTests/runPolicyTests';
import { textReport } from '../../src/policyTests/textReport';
import { PROJECT_ROOT } from '../../src/projectRoot';
import { SHOP, SHOP_EXPIRY_TESTS, writeTestFiles } from './support';

const EXAMPLES = path.join(PROJECT_ROOT, 'policies', 'examples');

describe('the example scenarios’ test-file twins', () => {
  test('every twin runs and passes offline', async () => {
    const run = await runPolicyTests([EXAMPLES]);
    expect(run.files.map((f) => path.basename(f.file))).toEqual([
      '000-authrocket-realms.test.yaml',
      '001-authrocket-memberships-permissions.test.yaml',
      '002-realm-sdk-multiple-users.test.yaml',
      '003-logto-org-template.test.yaml',
      '004-auth0-user-types.test.yaml',
    ]);
    for (const report of run.files) {
      expect(report.error).toBeUndefined();
      expect(report.tests.filter((t) => t.status !== 'passed')).toEqual([]);
      expect(report.tests.length).toBeGreaterThan(5);
    }
    expect(exitCode(run)).toBe(0);
  });
});

describe('running a file', () => {
  test('every test of a valid file passes, each with the answer it got', async () => {
    const dir = writeTestFiles({ 'shop.test.yaml': SHOP });
    const run = await runPolicyTests([dir]);
    expect(run.totals).toEqual({ files: 1, passed: 5, failed: 0, skipped: 0, badFiles: 0 });
    expect(run.files[0].tests[0].answer).toEqual({ allowed: true, reason: 'granted', role: 'clerk', grant: 'orders:read' });
  });

  test('expiry is exact to the millisecond at the fixed now of each test', async () => {
    const dir = writeTestFiles({ 'expiry.test.yaml': SHOP + SHOP_EXPIRY_TESTS });
    const run = await runPolicyTests([dir]);
    const byName = Object.fromEntries(run.files[0].tests.map((t) => [t.name, t]));
    expect(byName['one millisecond before expiry'].status).toBe('passed');
    expect(byName['at expiry'].status).toBe('passed');
    expect(byName['at expiry'].answer).toEqual({ allowed: false, reason: 'expired' });
  });

  test('a failure names the file, the test, and each field that differs', async () => {
    const wrong = SHOP.replace('expect: { allowed: false, reason: user_disabled }', 'expect: { allowed: true, grant: orders:read }');
    const dir = writeTestFiles({ 'wrong.test.yaml': wrong });
    const run = await runPolicyTests([dir]);
    const failed = run.files[0].tests.filter((t) => t.status === 'failed');
    expect(failed).toHaveLength(1);
    expect(failed[0].name).toBe('disabled');
    expect(failed[0].differences).toEqual([
      { field: 'allowed', expected: true, actual: false },
      { field: 'grant', expected: 'orders:read', actual: null },
    ]);
    expect(exitCode(run)).toBe(1);
    const text = textReport(run);
    expect(text).toContain(`FAIL ${path.join(dir, 'wrong.test.yaml')}`);
    expect(text).toContain('  ✗ disabled\n      allowed: expected true, got false\n      grant: expected "orders:read", got null');
    expect(text).toContain('4 passed, 1 failed, 0 skipped in 1 file');
  });

  test('a role expected as null (a direct grant) fails when the grant came through a role', async () => {
    const wrong = SHOP.replace('expect: { allowed: true, reason: granted, role: clerk, grant: orders:read }', 'expect: { allowed: true, role: null }');
    const run = await runPolicyTests([writeTestFiles({ 'role.test.yaml': wrong })]);
    expect(run.files[0].tests[0].differences).toEqual([{ field: 'role', expected: null, actual: 'clerk' }]);
  });
});

describe('bad files', () => {
  const cases: [string, string, string, string][] = [
    ['not YAML', 'realm: shop\nnow: [unclosed\n', 'line 3, column 1', 'not valid YAML'],
    ['a misspelt key', SHOP.replace('    expect: { allowed: false, reason: no_grant }', '    expected: { allowed: false }'), 'tests[2].expected', 'is not a known key'],
    ['a reason that does not exist', SHOP.replace('reason: no_grant', 'reason: nope'), 'tests[2].expect.reason', 'must be one of "granted"'],
    ['allowed that is not a boolean', SHOP.replace('expect: { allowed: false, reason: no_grant }', 'expect: { allowed: maybe }'), 'tests[2].expect.allowed', 'must be boolean'],
    ['no now', SHOP.replace('now: 2026-03-01T12:00:00Z', ''), '', "must have 'now'"],
    ['a now that is not a date-time', SHOP.replace('now: 2026-03-01T12:00:00Z', 'now: tomorrow'), 'now', 'must match format "date-time"'],
    ['a bad tag in a role', SHOP.replace('clerk: [orders:read, orders:*]', 'clerk: [orders:read, "orders/*"]'), 'roles.clerk[1]', 'must match'],
    ['a bad tag in a membership', SHOP.replace('permissions: [profile:rw]', 'permissions: ["pro file"]'), 'memberships[1].permissions[0]', 'must match'],
    ['a role that is not defined', SHOP.replace('roles: [clerk], permissions: [till:open]', 'roles: [clerk, boss]'), 'memberships[0].roles[1]', "role 'boss' is not defined"],
    ['one membership twice', SHOP.replace('  - { user: ann, permissions: [profile:rw] }', '  - { user: ann, org: north }'), 'memberships[1]', 'names the same membership as memberships[0]'],
    ['two tests with one name', SHOP.replace('name: a direct grant', 'name: disabled'), 'tests[3].name', 'repeats the name of tests[1]'],
    ['a grant expected of a denial', SHOP.replace('expect: { allowed: false, reason: no_grant }', 'expect: { allowed: false, grant: x }'), 'tests[2].expect', 'grant and role describe an allowed check only'],
    ['a bad permission in a check', SHOP.replace('permission: till:open }\n    expect: { allowed: false', 'permission: "till open" }\n    expect: { allowed: false'), 'tests[2].check.permission', 'must match'],
    ['no realm', SHOP.replace('realm: shop', ''), '', "must name its realm ('realm') or hold several ('realms')"],
  ];

  test.each(cases)('%s: the file is reported with where and which rule, and the run exits 2', async (_name, text, at, rule) => {
    const dir = writeTestFiles({ 'bad.test.yaml': text, 'good.test.yaml': SHOP });
    const run = await runPolicyTests([dir]);
    const bad = run.files.find((f) => f.file.endsWith('bad.test.yaml'));
    expect(bad?.error?.at).toBe(at);
    expect(bad?.error?.rule).toContain(rule);
    expect(bad?.error?.message).toContain(path.join(dir, 'bad.test.yaml'));
    // the other file still runs
    expect(run.files.find((f) => f.file.endsWith('good.test.yaml'))?.tests).toHaveLength(5);
    expect(exitCode(run)).toBe(2);
  });

  test('a path that does not exist, or a folder without test files, exits 2', async () => {
    const missing = await runPolicyTests(['/nonexistent/policies']);
    expect(missing.missing).toEqual(['/nonexistent/policies']);
    expect(exitCode(missing)).toBe(2);
    const empty = await runPolicyTests([writeTestFiles({ 'readme.md': '# nothing' })]);
    expect(empty.files).toEqual([]);
    expect(exitCode(empty)).toBe(2);
    expect(textReport(empty)).toContain('no *.test.yaml files found');
  });
});

describe('JUnit XML', () => {
  test('is well-formed and counts passes, failures, skips and bad files per file', async () => {
    const failing = SHOP.replace('expect: { allowed: false, reason: user_disabled }', 'expect: { allowed: true }').replace(
      'name: a direct grant',
      'name: "a <direct> grant & \\"more\\""',
    );
    const dir = writeTestFiles({ 'a.test.yaml': failing, 'b.test.yaml': 'realm: [', 'c.test.yaml': SHOP });
    const run = await runPolicyTests([dir]);
    const xml = junitXml(run);
    expect(XMLValidator.validate(xml)).toBe(true);
    const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', isArray: (name) => ['testsuite', 'testcase'].includes(name) }).parse(xml);
    const root = doc.testsuites;
    expect({ tests: root.tests, failures: root.failures, errors: root.errors }).toEqual({ tests: '11', failures: '1', errors: '1' });
    const [a, b, c] = root.testsuite;
    expect(a.name).toBe(path.join(dir, 'a.test.yaml'));
    expect({ tests: a.tests, failures: a.failures }).toEqual({ tests: '5', failures: '1' });
    expect(a.testcase.map((t: { name: string }) => t.name)).toContain('a <direct> grant & "more"');
    const failed = a.testcase.find((t: { name: string }) => t.name === 'disabled');
    expect(failed.failure.message).toBe('allowed: expected true, got false');
    expect(b.errors).toBe('1');
    expect(b.testcase[0].error.message).toContain('not valid YAML');
    expect({ tests: c.tests, failures: c.failures, errors: c.errors }).toEqual({ tests: '5', failures: '0', errors: '0' });
  });
});
