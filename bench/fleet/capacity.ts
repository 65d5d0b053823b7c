import { agent, call } from './http';
import { summarize, type Summary } from './stats';

export interface CapacityResult {
  concurrency: number;
  seconds: number;
  ok: number;
  failed: number;
  writesPerSecond: number;
  latency: Summary;
}

/**
 * Closed-loop writing: `concurrency` writers, each issuing its next membership write as soon as the
 * last one answered, spread over the given sidecars, for a few seconds. Since every write of the
 * fleet takes one advisory lock in PostgreSQL, this is the fleet's write throughput, whatever the
 * number of sidecars.
 */
export async function measureCapacity(ports: number[], token: string, realm: string, concurrency: number, seconds: number): Promise<CapacityResult> {
  const agents = ports.map(() => agent(concurrency));
  const latencies: number[] = [];
  let ok = 0;
  let failed = 0;
  let k = 0;
  const start = performance.now();
  const end = start + seconds * 1000;
  const writer = async (w: number) => {
    const which = w % ports.length;
    while (performance.now() < end) {
      const n = k++;
      const began = performance.now();
      const answer = await call(agents[which], ports[which], 'PUT', `/v1/realms/${realm}/users/cap-${n % 997}/memberships/team-${n % 13}`, { permissions: [`cap:${n}`] }, token, 120_000).catch(() => undefined);
      if (answer && (answer.status === 200 || answer.status === 201)) {
        ok += 1;
        latencies.push(performance.now() - began);
      } else failed += 1;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, (_, w) => writer(w)));
  const elapsed = (performance.now() - start) / 1000;
  for (const a of agents) a.destroy();
  return { concurrency, seconds: elapsed, ok, failed, writesPerSecond: ok / elapsed, latency: summarize(latencies) };
}
