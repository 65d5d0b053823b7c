import type { ExtAuthzResult } from './extAuthz';
import type { ClientOverhead } from './clientOverhead';
import type { HttpResult } from './http';
import type { InProcessResult } from './inProcess';
import type { LoadProbe } from './loadProbe';
import type { MachineFacts } from './machine';
import type { BenchOptions } from './options';
import type { PopulateResult } from './populate';
import type { QuietNote } from './quiet';
import { summarize } from './stats';
import type { WorkloadShape } from './workload';

/** Everything a run measured, and the numbers derived from it that more than one section shows. */

export interface WorkloadResult {
  size: number;
  grants: number;
  shape: WorkloadShape;
  populate: PopulateResult[];
  storage: { postgres: number | null; pglite: number | null };
  inProcess?: InProcessResult;
  loads: LoadProbe[];
}

export interface Results {
  machine: MachineFacts;
  options: BenchOptions;
  /** the same runtime loaded from an empty (migrated) database, per backend */
  baseline: LoadProbe[];
  workloads: WorkloadResult[];
  http: HttpResult[];
  extAuthz: ExtAuthzResult[];
  problems: string[];
  quiet: QuietNote[];
  elapsedS: number;
  complete: boolean;
  /** webhooks, commit-to-receipt latency and the decision log's cost */
  events?: import('./events').EventsResult;
  /** @realmgate/client against a raw fetch, per check */
  client?: ClientOverhead;
  /** check latency while a large sync and batches go in */
  stall?: import('./stallDuringSync').StallResult;
}

export const probes = (loads: LoadProbe[], kind: LoadProbe['backend']) => loads.filter((l) => l.backend === kind);
export const maxOf = (values: number[]) => (values.length ? Math.max(...values) : NaN);

interface PerGrant {
  rssPerGrant: number;
  heapPerGrant: number;
  rss: number;
  heap: number;
  baseRss: number;
  baseHeap: number;
}

/** Memory per grant: (loaded - empty) / grants, the median of the runs of each. */
export function perGrant(r: Results, w: WorkloadResult, kind: LoadProbe['backend']): PerGrant | null {
  const loaded = probes(w.loads, kind);
  const empty = probes(r.baseline, kind);
  if (!loaded.length || !empty.length) return null;
  const median = (values: number[]) => summarize(values).median;
  const rss = median(loaded.map((l) => l.rss));
  const heap = median(loaded.map((l) => l.heapUsed));
  const baseRss = median(empty.map((l) => l.rss));
  const baseHeap = median(empty.map((l) => l.heapUsed));
  return { rss, heap, baseRss, baseHeap, rssPerGrant: (rss - baseRss) / w.grants, heapPerGrant: (heap - baseHeap) / w.grants };
}
