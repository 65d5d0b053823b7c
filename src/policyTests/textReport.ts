import { describeDifference } from './outcome';
import type { PolicyTestRun } from './runPolicyTests';

/** The run for a person: one line per file, a line per failure naming the test and the difference, totals last. */
export function textReport(run: PolicyTestRun): string {
  const lines: string[] = [];
  for (const path of run.missing) lines.push(`MISSING ${path}: no such file or directory`);
  for (const report of run.files) {
    if (report.error) {
      lines.push(`ERROR ${report.error.message}`);
      continue;
    }
    const failed = report.tests.filter((t) => t.status === 'failed');
    const skipped = report.tests.filter((t) => t.status === 'skipped');
    const counts = `${report.tests.length} tests${skipped.length ? `, ${skipped.length} skipped` : ''}`;
    lines.push(`${failed.length ? 'FAIL' : 'PASS'} ${report.file} (${counts})`);
    for (const test of failed) {
      lines.push(`  ✗ ${test.name}`);
      for (const d of test.differences ?? []) lines.push(`      ${describeDifference(d)}`);
    }
    for (const test of skipped) lines.push(`  - ${test.name} (skipped: ${test.message})`);
  }
  if (run.files.length === 0 && run.missing.length === 0) lines.push('no *.test.yaml files found');
  const { passed, failed, skipped, badFiles, files } = run.totals;
  lines.push(
    `${passed} passed, ${failed} failed, ${skipped} skipped in ${files} file${files === 1 ? '' : 's'}` +
      `${badFiles ? `; ${badFiles} file${badFiles === 1 ? '' : 's'} could not be run` : ''} (${Math.round(run.durationMs)} ms)`,
  );
  return `${lines.join('\n')}\n`;
}
