import fs from 'node:fs';
import path from 'node:path';

export const TEST_FILE_SUFFIX = '.test.yaml';

/**
 * The test files that paths name: a file as given (whatever its name), a directory searched
 * recursively for `*.test.yaml` (node_modules and dot-directories left out). Sorted, without
 * repeats. A path that does not exist is returned as `missing`.
 */
export function findTestFiles(paths: readonly string[]): { files: string[]; missing: string[] } {
  const files = new Set<string>();
  const missing: string[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!entry.name.startsWith('.') && entry.name !== 'node_modules') walk(full);
      } else if (entry.name.endsWith(TEST_FILE_SUFFIX)) {
        files.add(full);
      }
    }
  };
  for (const p of paths) {
    const stat = fs.statSync(p, { throwIfNoEntry: false });
    if (!stat) missing.push(p);
    else if (stat.isDirectory()) walk(p);
    else files.add(p);
  }
  return { files: [...files].sort(), missing };
}
