import { startRuntime } from '../src/runtime/startRuntime';
import { benchConfig, type Backend } from './databases';

export interface LoadProbe {
  backend: Backend['kind'];
  /** startRuntime(config) until it resolved: database opened, migrations checked, policy loaded */
  startRuntimeMs: number;
  /** from this process's start (performance time origin) until startRuntime resolved */
  processStartToReadyMs: number;
  /** after gc, with the runtime loaded */
  rss: number;
  heapUsed: number;
  external: number;
  arrayBuffers: number;
  revision: number;
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** process.memoryUsage() after four garbage collections 100 ms apart (the process runs with --expose-gc). */
export async function memoryAfterGc(): Promise<NodeJS.MemoryUsage> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run with --expose-gc');
  for (let i = 0; i < 4; i += 1) {
    gc();
    await pause(100);
  }
  return process.memoryUsage();
}

/** Run as the first thing in a fresh child process: time to ready, then memory after gc. */
export async function probeLoad(args: { backend: Backend }): Promise<LoadProbe> {
  const t0 = performance.now();
  const runtime = await startRuntime(benchConfig(args.backend), { onError: (err) => console.error('bench:', err) });
  const t1 = performance.now();
  try {
    const memory = await memoryAfterGc();
    return {
      backend: args.backend.kind,
      startRuntimeMs: t1 - t0,
      processStartToReadyMs: t1,
      rss: memory.rss,
      heapUsed: memory.heapUsed,
      external: memory.external,
      arrayBuffers: memory.arrayBuffers,
      revision: runtime.deps.state.revision,
    };
  } finally {
    await runtime.close();
  }
}
