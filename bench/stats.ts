/** Percentiles and number formatting for the report. */

export interface Summary {
  samples: number;
  median: number;
  p99: number;
  mean: number;
  max: number;
}

/** Nearest-rank percentile of an ascending array. */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank];
}

export function summarize(values: Float64Array | number[]): Summary {
  const sorted = Float64Array.from(values).sort();
  let sum = 0;
  for (const v of sorted) sum += v;
  return {
    samples: sorted.length,
    median: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    mean: sorted.length ? sum / sorted.length : NaN,
    max: sorted.length ? sorted[sorted.length - 1] : NaN,
  };
}

export const int = (n: number): string => (Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : 'n/a');

export function fixed(n: number, digits = 1): string {
  return Number.isFinite(n) ? n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits }) : 'n/a';
}

/** nanoseconds as a readable duration */
export function duration(ns: number): string {
  if (!Number.isFinite(ns)) return 'n/a';
  if (ns < 1_000) return `${fixed(ns, 0)} ns`;
  if (ns < 1_000_000) return `${fixed(ns / 1_000, ns < 10_000 ? 2 : 1)} µs`;
  if (ns < 1_000_000_000) return `${fixed(ns / 1_000_000, ns < 10_000_000 ? 2 : 1)} ms`;
  return `${fixed(ns / 1_000_000_000, 2)} s`;
}

export function bytes(n: number): string {
  if (!Number.isFinite(n)) return 'n/a';
  const mib = n / (1024 * 1024);
  return mib >= 1024 ? `${fixed(mib / 1024, 2)} GiB` : `${fixed(mib, 1)} MiB`;
}

export const sizeLabel = (grants: number): string =>
  grants >= 1_000_000 && grants % 1_000_000 === 0
    ? `${grants / 1_000_000}M`
    : grants >= 1_000 && grants % 1_000 === 0
      ? `${grants / 1_000}k`
      : String(grants);
