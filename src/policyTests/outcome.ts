import type { PolicyTest } from './testFile';

/** What a check answered, in the terms a test's `expect` uses. */
export interface Answer {
  allowed: boolean;
  reason: string;
  grant?: string;
  role?: string | null;
}

export interface Difference {
  field: 'allowed' | 'reason' | 'grant' | 'role';
  expected: unknown;
  actual: unknown;
}

export interface TestOutcome {
  name: string;
  status: 'passed' | 'failed' | 'skipped';
  /** for a failure: each expected field that the answer does not match */
  differences?: Difference[];
  /** for a failure or a skip: why, in words */
  message?: string;
  answer?: Answer;
  durationMs: number;
}

export interface FileReport {
  file: string;
  tests: TestOutcome[];
  /** set when the file could not be run at all (bad YAML, bad shape, bad fixtures) */
  error?: { at: string; rule: string; message: string };
}

/** The fields `expect` names that the answer does not match (a field left out of `expect` is not compared). */
export function differences(expected: PolicyTest['expect'], actual: Answer): Difference[] {
  const found: Difference[] = [];
  for (const field of ['allowed', 'reason', 'grant', 'role'] as const) {
    if (!(field in expected)) continue;
    const want = expected[field];
    const got = actual[field] ?? (field === 'role' && actual.allowed ? null : undefined);
    if (want !== got) found.push({ field, expected: want, actual: got ?? null });
  }
  return found;
}

export const describeDifference = (d: Difference): string =>
  `${d.field}: expected ${JSON.stringify(d.expected)}, got ${JSON.stringify(d.actual)}`;

/** A test's outcome from its expectation and the answer it got. */
export function judge(test: PolicyTest, answer: Answer, durationMs: number): TestOutcome {
  const diff = differences(test.expect, answer);
  return diff.length === 0
    ? { name: test.name, status: 'passed', answer, durationMs }
    : { name: test.name, status: 'failed', differences: diff, message: diff.map(describeDifference).join('; '), answer, durationMs };
}
