import { PrismaAdapter } from 'casbin-prisma-adapter';
import { decide, type CheckQuery } from '../src/engine/decide';
import { membershipDomain, userSubject } from '../src/engine/domains';
import { createEnforcer } from '../src/engine/enforcer';
import { startRuntime } from '../src/runtime/startRuntime';
import { benchConfig, type Backend } from './databases';
import { buildQueries, type QueryKind } from './queries';
import { summarize, type Summary } from './stats';
import { buildWorkload } from './workload';

export interface InProcessArgs {
  size: number;
  backend: Backend;
  queries: number;
  casbinBudgetMs: number;
  casbinMaxSamples: number;
}

export interface InProcessResult {
  size: number;
  /** nanoseconds */
  decide: Summary;
  /** nanoseconds of an empty pair of clock reads, included in every sample above */
  timerOverheadNs: number;
  /** nanoseconds per call of a pass over all queries timed as a whole: no per-call clock, no BigInt garbage */
  loopMeanNs: number;
  allowedShare: number;
  reasons: Record<string, number>;
  casbin: Summary & { stoppedBy: 'budget' | 'samples'; elapsedMs: number; loadMs: number; rules: number };
  /** decide's samples over the same queries Casbin got */
  decideOnCasbinQueries: Summary;
  /** queries where both must agree (not disabled, not expired) and did not */
  disagreements: number;
  /** decide's samples by the kind of query */
  byKind: Partial<Record<QueryKind, Summary>>;
}

function timerOverhead(): number {
  const n = 100_000;
  const t = new Float64Array(n);
  for (let i = 0; i < n; i += 1) {
    const a = process.hrtime.bigint();
    t[i] = Number(process.hrtime.bigint() - a);
  }
  return summarize(t).median;
}

/**
 * decide(state, query, now) on the state startRuntime loaded, one clock pair per call; then plain
 * Casbin Enforcer.enforce on the same model and the same rules, loaded from the same database
 * through casbin-prisma-adapter, within a time budget.
 */
export async function measureInProcess(args: InProcessArgs): Promise<InProcessResult> {
  // the workload itself is garbage once the queries are built: only the runtime and the queries stay in the heap
  const { queries, kinds } = buildQueries(buildWorkload(args.size), args.queries);
  const runtime = await startRuntime(benchConfig(args.backend), { onError: (err) => console.error('bench:', err) });
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  try {
    const state = runtime.deps.state;
    const now = Date.now();
    let sink = 0;
    for (const q of queries) sink += decide(state, q, now).allowed ? 1 : 0;
    for (const q of queries) sink += decide(state, q, now).allowed ? 1 : 0;

    const times = new Float64Array(queries.length);
    const reasons: Record<string, number> = {};
    const allowed = new Uint8Array(queries.length);
    for (let i = 0; i < queries.length; i += 1) {
      const t0 = process.hrtime.bigint();
      const d = decide(state, queries[i], now);
      const t1 = process.hrtime.bigint();
      times[i] = Number(t1 - t0);
      allowed[i] = d.allowed ? 1 : 0;
      reasons[d.reason] = (reasons[d.reason] ?? 0) + 1;
    }
    const decideSummary = summarize(times);
    const loopStart = process.hrtime.bigint();
    for (const q of queries) sink += decide(state, q, now).allowed ? 1 : 0;
    const loopMeanNs = Number(process.hrtime.bigint() - loopStart) / queries.length;
    const samplesByKind = new Map<QueryKind, number[]>();
    kinds.forEach((kind, i) => {
      const list = samplesByKind.get(kind) ?? [];
      list.push(times[i]);
      samplesByKind.set(kind, list);
    });
    const byKind = Object.fromEntries([...samplesByKind].map(([kind, list]) => [kind, summarize(list)]));

    const loadStart = performance.now();
    const enforcer = await createEnforcer(new PrismaAdapter(runtime.deps.db.prisma));
    const loadMs = performance.now() - loadStart;
    // counted in the table: Casbin's own getPolicy() spreads every rule into one call and overflows the stack at 1M grants
    const rules = await runtime.deps.db.prisma.casbinRule.count();
    const request = (q: CheckQuery): [string, string, string] => [userSubject(q.subject), membershipDomain(q.realm, q.org), q.permission];
    for (let i = 0; i < Math.min(5, queries.length); i += 1) await enforcer.enforce(...request(queries[i]));

    const casbinTimes: number[] = [];
    const mustAgree = (q: CheckQuery) => {
      const reason = decide(state, q, now).reason;
      return reason !== 'user_disabled' && reason !== 'expired';
    };
    let disagreements = 0;
    const started = performance.now();
    let stoppedBy: 'budget' | 'samples' = 'samples';
    for (let i = 0; i < queries.length && casbinTimes.length < args.casbinMaxSamples; i += 1) {
      if (performance.now() - started > args.casbinBudgetMs) {
        stoppedBy = 'budget';
        break;
      }
      const [sub, dom, obj] = request(queries[i]);
      const t0 = process.hrtime.bigint();
      const ok = await enforcer.enforce(sub, dom, obj);
      const t1 = process.hrtime.bigint();
      casbinTimes.push(Number(t1 - t0));
      if (mustAgree(queries[i]) && ok !== (allowed[i] === 1)) disagreements += 1;
    }
    const elapsedMs = performance.now() - started;
    if (sink < 0) console.log(sink);
    return {
      size: args.size,
      decide: decideSummary,
      timerOverheadNs: timerOverhead(),
      loopMeanNs,
      allowedShare: allowed.reduce((a, b) => a + b, 0) / queries.length,
      reasons,
      casbin: { ...summarize(casbinTimes), stoppedBy, elapsedMs, loadMs, rules },
      decideOnCasbinQueries: summarize(times.subarray(0, casbinTimes.length)),
      disagreements,
      byKind,
    };
  } finally {
    await runtime.close();
  }
}
