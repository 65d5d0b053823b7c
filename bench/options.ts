/**
 * What to run, from the environment or from `npm run bench -- KEY=VALUE ...` arguments
 * (e.g. `npm run bench -- BENCH_SIZES=1000,10000`).
 */
export interface BenchOptions {
  sizes: number[];
  httpSizes: number[];
  queries: number;
  casbinBudgetMs: number;
  casbinMaxSamples: number;
  loadRuns: number;
  /** longest wait for a quiet machine before a measured section */
  quietWaitS: number;
  http: { connections: number; durationS: number; warmupS: number };
  out: string;
  /** workloads at which ext_authz (HTTP and gRPC) is timed against POST /v1/check */
  extAuthzSizes: number[];
  /** requests per way of asking */
  extAuthzRequests: number;
}

function settings(): Record<string, string | undefined> {
  const fromArgs = Object.fromEntries(
    process.argv
      .slice(2)
      .map((a) => /^([A-Z_]+)=(.*)$/.exec(a))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => [m[1], m[2]]),
  );
  return { ...process.env, ...fromArgs };
}

function list(raw: string | undefined, fallback: number[]): number[] {
  if (raw === undefined) return fallback;
  if (raw.trim() === '' || raw.trim() === 'none') return [];
  return raw.split(',').map((s) => {
    const n = Number(s.trim().replace(/k$/i, '000').replace(/m$/i, '000000'));
    if (!Number.isInteger(n) || n < 100) throw new Error(`bad size '${s}': a whole number of grants, at least 100 (1000, 10k, 1M)`);
    return n;
  });
}

function number(raw: string | undefined, fallback: number): number {
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`bad number '${raw}'`);
  return n;
}

export function readOptions(): BenchOptions {
  const s = settings();
  const sizes = list(s.BENCH_SIZES, [1_000, 10_000, 100_000, 1_000_000]);
  const defaultHttp = [100_000, 1_000_000].filter((n) => sizes.includes(n));
  return {
    sizes,
    httpSizes: list(s.BENCH_HTTP_SIZES, defaultHttp.length > 0 ? defaultHttp : sizes.slice(-1)).filter((n) => sizes.includes(n)),
    queries: number(s.BENCH_QUERIES, 200_000),
    casbinBudgetMs: number(s.BENCH_CASBIN_BUDGET_S, 30) * 1000,
    casbinMaxSamples: number(s.BENCH_CASBIN_MAX_SAMPLES, 200_000),
    loadRuns: number(s.BENCH_LOAD_RUNS, 3),
    quietWaitS: number(s.BENCH_QUIET_WAIT_S, 60),
    http: {
      connections: number(s.BENCH_HTTP_CONNECTIONS, 10),
      durationS: number(s.BENCH_HTTP_DURATION_S, 10),
      warmupS: number(s.BENCH_HTTP_WARMUP_S, 3),
    },
    out: s.BENCH_OUT ?? 'bench/results.md',
    extAuthzSizes: list(s.BENCH_EXT_AUTHZ_SIZES, sizes.includes(100_000) ? [100_000] : sizes.slice(-1)).filter((n) => sizes.includes(n)),
    extAuthzRequests: number(s.BENCH_EXT_AUTHZ_REQUESTS, 20_000),
  };
}
