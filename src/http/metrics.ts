import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { ServiceDeps } from '../services/deps';

export interface MetricsOptions {
  /** the registry every series is registered in; one per process, made in the composition root */
  registry?: Registry;
  /** where the revision, head, lag and size gauges are read from at scrape time */
  deps?: () => ServiceDeps | undefined;
  /** Node's and the process's own series (event loop, heap, GC, CPU, file descriptors) */
  defaultMetrics?: boolean;
  build?: { version: string; backend: string };
}

/** Decision time: microseconds when all is well, so the buckets start at one. */
const DECISION_BUCKETS = [1e-6, 2.5e-6, 5e-6, 1e-5, 2.5e-5, 5e-5, 1e-4, 2.5e-4, 5e-4, 1e-3, 2.5e-3, 1e-2, 0.1];
const WRITE_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/**
 * The service's Prometheus series. What the check path counts is kept in plain maps and numbers
 * (one map update per decision) and handed to prom-client only when /metrics is scraped; the
 * decision-time histogram is prom-client's own.
 */
export class Metrics {
  readonly registry: Registry;
  private readonly decisions = new Map<string, number>();
  private readonly requests = new Map<string, number>();
  private readonly checkDuration: Histogram;
  private readonly batchDuration: Histogram;
  private readonly writeDuration: Histogram;
  changesApplied = 0;

  constructor(options: MetricsOptions = {}) {
    const registry = options.registry ?? new Registry();
    this.registry = registry;
    const deps = options.deps ?? (() => undefined);
    if (options.defaultMetrics) collectDefaultMetrics({ register: registry });
    const decisions = this.decisions;
    const requests = this.requests;
    const self = this;

    new Counter({
      name: 'realmgate_checks_total',
      help: 'Decisions answered, by outcome.',
      labelNames: ['allowed'],
      registers: [registry],
      collect() {
        this.reset();
        this.inc({ allowed: 'true' }, self.checksAllowed);
        this.inc({ allowed: 'false' }, self.checksDenied);
      },
    });
    new Counter({
      name: 'realmgate_decisions_total',
      help: 'Decisions answered, by outcome and reason (granted, unknown_user, no_grant, ...).',
      labelNames: ['allowed', 'reason'],
      registers: [registry],
      collect() {
        this.reset();
        for (const [reason, count] of decisions) this.inc({ allowed: String(reason === 'granted'), reason }, count);
      },
    });
    this.checkDuration = new Histogram({
      name: 'realmgate_check_duration_seconds',
      help: 'Time to decide one check, in process (from parsed request to decision, without any atLeast wait).',
      buckets: DECISION_BUCKETS,
      registers: [registry],
    });
    this.batchDuration = new Histogram({
      name: 'realmgate_check_batch_duration_seconds',
      help: 'Time to decide a whole batch of checks, in process.',
      buckets: DECISION_BUCKETS,
      registers: [registry],
    });
    new Counter({
      name: 'realmgate_http_requests_total',
      help: 'HTTP requests answered, by route template, method and status.',
      labelNames: ['route', 'method', 'status'],
      registers: [registry],
      collect() {
        this.reset();
        for (const [key, count] of requests) {
          const [route, method, status] = key.split('\t');
          this.inc({ route, method, status }, count);
        }
      },
    });
    this.writeDuration = new Histogram({
      name: 'realmgate_write_duration_seconds',
      help: 'Time of one write: the database transaction and applying it in memory.',
      labelNames: ['outcome'],
      buckets: WRITE_BUCKETS,
      registers: [registry],
    });
    new Counter({
      name: 'realmgate_changes_applied_total',
      help: 'Changes applied to the in-memory policy.',
      registers: [registry],
      collect() {
        this.reset();
        this.inc(self.changesApplied);
      },
    });
    new Gauge({
      name: 'realmgate_ready',
      help: 'Whether the policy is loaded.',
      registers: [registry],
      collect() {
        this.set(deps() ? 1 : 0);
      },
    });
    const fromDeps = (name: string, help: string, read: (d: ServiceDeps) => number) =>
      new Gauge({
        name,
        help,
        registers: [registry],
        collect() {
          const d = deps();
          if (d) this.set(read(d));
          else this.reset();
        },
      });
    fromDeps('realmgate_revision', 'The revision of the in-memory policy.', (d) => d.state.revision);
    fromDeps('realmgate_head_revision', 'The newest revision known to be committed in the database.', (d) => d.fleet.head);
    fromDeps('realmgate_lag_revisions', 'Revisions committed and not yet applied in memory.', (d) => d.fleet.lag);
    fromDeps('realmgate_realms', 'Realms held in memory.', (d) => d.state.realms.size);
    fromDeps('realmgate_memberships', 'Memberships held in memory.', (d) => {
      let memberships = 0;
      for (const realm of d.state.realms.values()) memberships += realm.membershipCount;
      return memberships;
    });
    if (options.build) {
      const info = new Gauge({
        name: 'realmgate_build_info',
        help: 'Always 1; the labels say which build is running.',
        labelNames: ['version', 'node_version', 'backend'],
        registers: [registry],
      });
      info.set({ version: options.build.version, node_version: process.version, backend: options.build.backend }, 1);
    }
  }

  get checksAllowed(): number {
    return this.decisions.get('granted') ?? 0;
  }

  get checksDenied(): number {
    let denied = 0;
    for (const [reason, count] of this.decisions) if (reason !== 'granted') denied += count;
    return denied;
  }

  countDecision(reason: string): void {
    this.decisions.set(reason, (this.decisions.get(reason) ?? 0) + 1);
  }

  countDecisions(results: readonly { reason: string }[]): void {
    for (const r of results) this.decisions.set(r.reason, (this.decisions.get(r.reason) ?? 0) + 1);
  }

  observeCheck(seconds: number): void {
    this.checkDuration.observe(seconds);
  }

  observeBatch(seconds: number): void {
    this.batchDuration.observe(seconds);
  }

  observeWrite(seconds: number, outcome: 'committed' | 'failed'): void {
    this.writeDuration.observe({ outcome }, seconds);
  }

  /** `route` is the route's template (`/v1/realms/:realm`), never the URL, so the series stay few. */
  countRequest(route: string, method: string, status: number): void {
    const key = `${route}\t${method}\t${status}`;
    this.requests.set(key, (this.requests.get(key) ?? 0) + 1);
  }

  /** The exposition text and its content type. */
  async render(): Promise<{ contentType: string; text: string }> {
    return { contentType: this.registry.contentType, text: await this.registry.metrics() };
  }
}
