import type { PolicyTestRun } from './runPolicyTests';

const escape = (text: string): string =>
  text
    // characters XML 1.0 cannot carry at all
    .replace(/[^\t\n\r\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '\uFFFD')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');

const seconds = (ms: number): string => (ms / 1000).toFixed(3);

/**
 * The run as JUnit XML (the form CI systems read): one <testsuite> per file, one <testcase> per
 * test; a failed test carries a <failure> with the differences, a file that could not be run an
 * <error>.
 */
export function junitXml(run: PolicyTestRun): string {
  const lines = ['<?xml version="1.0" encoding="UTF-8"?>'];
  const { totals } = run;
  lines.push(
    `<testsuites name="realmgate policy tests" tests="${totals.passed + totals.failed + totals.skipped + totals.badFiles}" failures="${totals.failed}" errors="${totals.badFiles}" skipped="${totals.skipped}" time="${seconds(run.durationMs)}">`,
  );
  for (const report of run.files) {
    const failures = report.tests.filter((t) => t.status === 'failed').length;
    const skipped = report.tests.filter((t) => t.status === 'skipped').length;
    const time = report.tests.reduce((sum, t) => sum + t.durationMs, 0);
    const count = report.error ? 1 : report.tests.length;
    lines.push(
      `  <testsuite name="${escape(report.file)}" tests="${count}" failures="${failures}" errors="${report.error ? 1 : 0}" skipped="${skipped}" time="${seconds(time)}">`,
    );
    if (report.error) {
      lines.push(`    <testcase classname="${escape(report.file)}" name="(file)" time="0.000">`);
      lines.push(`      <error message="${escape(report.error.message)}" type="PolicyFileError">${escape(report.error.message)}</error>`);
      lines.push('    </testcase>');
    }
    for (const test of report.tests) {
      const open = `    <testcase classname="${escape(report.file)}" name="${escape(test.name)}" time="${seconds(test.durationMs)}"`;
      if (test.status === 'passed') {
        lines.push(`${open}/>`);
      } else if (test.status === 'skipped') {
        lines.push(`${open}>`, `      <skipped message="${escape(test.message ?? '')}"/>`, '    </testcase>');
      } else {
        const detail = (test.differences ?? []).map((d) => `${d.field}: expected ${JSON.stringify(d.expected)}, got ${JSON.stringify(d.actual)}`).join('\n');
        lines.push(`${open}>`, `      <failure message="${escape(test.message ?? '')}" type="mismatch">${escape(detail)}</failure>`, '    </testcase>');
      }
    }
    lines.push('  </testsuite>');
  }
  lines.push('</testsuites>');
  return `${lines.join('\n')}\n`;
}
