import { execFile } from 'node:child_process';

/** Run by the child: creates the cluster, closes it, and ends. */
const CHILD_SOURCE = `
const [module, dir, startParams] = process.argv.slice(1);
const { PGlite } = require(module);
PGlite.create(dir, { startParams: JSON.parse(startParams) }).then((db) => db.close());
`;

/**
 * Creates PGlite's database cluster in a new data folder, in a short-lived node process of its
 * own. Creating it grows PGlite's WebAssembly memory by hundreds of MiB, and that memory is not
 * given back: made in the serving process (or even in a worker thread of it), much of it would stay
 * for the life of the process. A process that ends gives back everything.
 */
export function createPgliteCluster(dir: string, startParams: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ['-e', CHILD_SOURCE, require.resolve('@electric-sql/pglite'), dir, JSON.stringify(startParams)],
      { maxBuffer: 1 << 20 },
      (err, _stdout, stderr) => {
        if (!err) return resolve();
        reject(new Error(`creating the PGlite database in ${dir} failed: ${stderr.trim().split('\n').slice(-3).join(' ') || err.message}`));
      },
    );
  });
}
