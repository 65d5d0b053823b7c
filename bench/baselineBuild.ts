import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PROJECT_ROOT } from '../src/projectRoot';

/**
 * An earlier commit, for a side-by-side run: taken with `git archive` into a temporary folder,
 * with this checkout's node_modules, its Prisma client generated and its server compiled there.
 * The caller removes the folder.
 */
export function buildBaseline(ref: string, log: (line: string) => void): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'realmgate-baseline-'));
  log(`building ${ref} in ${dir}`);
  execFileSync('sh', ['-c', `git -C "${PROJECT_ROOT}" archive "${ref}" | tar -x -C "${dir}"`]);
  fs.symlinkSync(path.join(PROJECT_ROOT, 'node_modules'), path.join(dir, 'node_modules'));
  execFileSync(process.execPath, ['scripts/generate-client.js'], { cwd: dir, stdio: 'ignore' });
  execFileSync(process.execPath, [path.join(PROJECT_ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'], { cwd: dir, stdio: 'inherit' });
  return dir;
}
