/**
 * The background writer of the "under load" phase, run as a process of its own (forked with an IPC
 * channel) so that its work does not share an event loop with the measurements. It issues writes
 * at a fixed rate, open-loop: write k is due at start + k / rate, whatever happened to the ones
 * before it, alternating between the sidecars it is given. When `maxInFlight` writes are already
 * outstanding, a due write is skipped and counted, so the achieved rate shows whether the fleet kept
 * up. It stops when told to ('stop' on the channel), when the channel closes, or after maxSeconds.
 */
import { agent, call } from './http';
import { summarize, type Summary } from './stats';

export interface LoadWriterConfig {
  ports: number[];
  token: string;
  realm: string;
  rate: number;
  maxInFlight: number;
  maxSeconds: number;
}

export interface LoadWriterReport {
  seconds: number;
  due: number;
  issued: number;
  ok: number;
  failed: number;
  skipped: number;
  firstError?: string;
  /** completed writes per second over the run */
  achievedRate: number;
  /** write latency (request to answer) as the writer saw it */
  latency: Summary;
  perPort: Record<string, number>;
}

export async function writeAtRate(config: LoadWriterConfig): Promise<LoadWriterReport> {
  const agents = config.ports.map(() => agent(config.maxInFlight));
  const latencies: number[] = [];
  const perPort: Record<string, number> = Object.fromEntries(config.ports.map((p) => [String(p), 0]));
  let due = 0;
  let issued = 0;
  let ok = 0;
  let failed = 0;
  let skipped = 0;
  let inFlight = 0;
  let firstError: string | undefined;
  let stopping = false;
  const intervalMs = 1000 / config.rate;
  const start = performance.now();

  const write = (k: number) => {
    const which = k % config.ports.length;
    const port = config.ports[which];
    const path = `/v1/realms/${config.realm}/users/load-${k % 997}/memberships/team-${k % 13}`;
    const began = performance.now();
    inFlight += 1;
    issued += 1;
    call(agents[which], port, 'PUT', path, { permissions: [`load:${k}`, 'reports.read'] }, config.token, 120_000)
      .then((answer) => {
        if (answer.status === 200 || answer.status === 201) {
          ok += 1;
          perPort[String(port)] += 1;
          latencies.push(performance.now() - began);
        } else {
          failed += 1;
          firstError ??= `HTTP ${answer.status} ${JSON.stringify(answer.body)}`;
        }
      })
      .catch((err: unknown) => {
        failed += 1;
        firstError ??= err instanceof Error ? err.message : String(err);
      })
      .finally(() => {
        inFlight -= 1;
      });
  };

  await new Promise<void>((resolve) => {
    const stop = () => {
      stopping = true;
    };
    process.on('message', (message) => {
      if (message === 'stop') stop();
    });
    process.on('disconnect', stop);
    const tick = () => {
      const elapsed = performance.now() - start;
      if (stopping || elapsed > config.maxSeconds * 1000) return resolve();
      const target = Math.floor(elapsed / intervalMs) + 1;
      while (due < target) {
        if (inFlight < config.maxInFlight) write(due);
        else skipped += 1;
        due += 1;
      }
      // wake up for the next due write; timers are late by up to a millisecond or so, which the
      // loop above makes up for by issuing every write that fell due meanwhile
      setTimeout(tick, Math.max(0, (target * intervalMs) - (performance.now() - start)));
    };
    tick();
  });
  const seconds = (performance.now() - start) / 1000;
  // let the last writes finish, so they are counted either way
  const deadline = performance.now() + 10_000;
  while (inFlight > 0 && performance.now() < deadline) await new Promise((r) => setTimeout(r, 5));
  for (const a of agents) a.destroy();
  return { seconds, due, issued, ok, failed, skipped, firstError, achievedRate: ok / seconds, latency: summarize(latencies), perPort };
}

if (require.main === module) {
  const config = JSON.parse(process.env.FLEET_LOAD_WRITER ?? '{}') as LoadWriterConfig;
  process.send?.({ type: 'started' });
  writeAtRate(config)
    .then((report) => process.send?.({ type: 'report', report }, () => process.exit(0)))
    .catch((err: unknown) => {
      console.error('load writer:', err);
      process.exit(1);
    });
}
