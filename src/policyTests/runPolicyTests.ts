import { findTestFiles } from './findTestFiles';
import { Realmgate } from '@realmgate/client';
import type { FileReport } from './outcome';
import { runLive } from './runLive';
import { runOffline } from './runOffline';
import { loadTestFile, PolicyFileError } from './testFile';

/** A live sidecar to run the tests against. */
export interface LiveTarget {
  url: string;
  token?: string;
}

export interface PolicyTestRun {
  files: FileReport[];
  /** paths that named nothing */
  missing: string[];
  totals: { files: number; passed: number; failed: number; skipped: number; badFiles: number };
  durationMs: number;
}

/** 0 every test passed; 1 a test failed; 2 a file could not be run, or the paths named none. */
export function exitCode(run: PolicyTestRun): 0 | 1 | 2 {
  if (run.totals.badFiles > 0 || run.missing.length > 0 || run.files.length === 0) return 2;
  return run.totals.failed > 0 ? 1 : 0;
}

/** Runs every test file the paths name, offline (engine in process) or against a live sidecar. */
export async function runPolicyTests(paths: readonly string[], options: { live?: LiveTarget } = {}): Promise<PolicyTestRun> {
  const started = performance.now();
  const { files, missing } = findTestFiles(paths);
  const api = options.live ? new Realmgate({ url: options.live.url, token: options.live.token }) : undefined;
  const reports: FileReport[] = [];
  for (const file of files) {
    try {
      const suite = loadTestFile(file);
      reports.push({ file, tests: api ? await runLive(file, suite, api) : await runOffline(file, suite) });
    } catch (err) {
      if (!(err instanceof PolicyFileError)) {
        await api?.close();
        throw err;
      }
      reports.push({ file, tests: [], error: { at: err.at, rule: err.rule, message: err.message } });
    }
  }
  await api?.close();
  const all = reports.flatMap((r) => r.tests);
  return {
    files: reports,
    missing,
    totals: {
      files: reports.length,
      passed: all.filter((t) => t.status === 'passed').length,
      failed: all.filter((t) => t.status === 'failed').length,
      skipped: all.filter((t) => t.status === 'skipped').length,
      badFiles: reports.filter((r) => r.error).length,
    },
    durationMs: performance.now() - started,
  };
}
