import { Worker } from 'node:worker_threads';

/** Runs in the worker: creates the cluster, closes it, and ends. */
const WORKER_SOURCE = `
const { workerData } = require('node:worker_threads');
const { PGlite } = require(workerData.module);
PGlite.create(workerData.dir, { startParams: workerData.startParams }).then((db) => db.close());
`;

/**
 * Creates PGlite's database cluster in a new data folder, in a worker thread of its own. Creating
 * it grows PGlite's WebAssembly memory by hundreds of MiB, and WebAssembly memory never shrinks:
 * made in the serving instance, that memory would stay for the life of the process. A worker's
 * memory is given back when it ends.
 */
export function createPgliteCluster(dir: string, startParams: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { module: require.resolve('@electric-sql/pglite'), dir, startParams },
    });
    let failure: unknown;
    worker.once('error', (err) => (failure = err));
    worker.once('exit', (code) => {
      if (failure === undefined && code === 0) resolve();
      else reject(failure ?? new Error(`creating the PGlite database in ${dir} ended with exit code ${code}`));
    });
  });
}
