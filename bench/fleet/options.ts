/** The benchmark's knobs, from FLEET_* environment variables (all optional). */
export interface Options {
  /** a database on the server where scratch databases may be created and dropped */
  postgresUrl: string;
  /** measured samples per method per phase */
  samples: number;
  /** samples run and thrown away before each phase */
  warmup: number;
  /** background writes per second, one "under load" phase for each; 'half': half the measured write capacity */
  rates: (number | 'half')[];
  /** the most background writes outstanding at once; a due write beyond it is skipped */
  maxInFlight: number;
  /** seconds of closed-loop writing to find the fleet's write capacity (0: skip) */
  capacitySeconds: number;
  /** closed-loop writers while finding the write capacity */
  capacityWriters: number;
  /** memberships written before measuring, so the policy is not empty */
  seed: number;
  /** pause between two polls of method (a) */
  pollIntervalMs: number;
  /** a phase stops taking samples after this many seconds, even if it has fewer than `samples` */
  phaseSeconds: number;
  /** a sample that has not become visible after this long is recorded as timed out */
  sampleTimeoutMs: number;
  targetMs: number;
  out: string;
}

function int(name: string, fallback: number, min: number, max: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < min || value > max) {
    throw new Error(`${name} must be a number from ${min} to ${max}, got '${raw}'`);
  }
  return value;
}

function rates(): (number | 'half')[] {
  const raw = process.env.FLEET_RATES || process.env.FLEET_RATE || '300,half';
  const list = raw.split(',').map((r) => (r.trim() === 'half' ? 'half' : Number(r.trim())));
  if (list.some((r) => r !== 'half' && (!Number.isInteger(r) || r < 1 || r > 10_000))) {
    throw new Error(`FLEET_RATES must be a comma-separated list of integers from 1 to 10000 or 'half', got '${raw}'`);
  }
  return list;
}

export function readOptions(): Options {
  return {
    postgresUrl: process.env.FLEET_POSTGRES_URL || 'postgresql://postgres@127.0.0.1:5432/postgres',
    samples: int('FLEET_SAMPLES', 300, 10, 100_000),
    warmup: int('FLEET_WARMUP', 20, 0, 10_000),
    rates: rates(),
    maxInFlight: int('FLEET_MAX_IN_FLIGHT', 64, 1, 10_000),
    capacitySeconds: int('FLEET_CAPACITY_SECONDS', 5, 0, 600),
    capacityWriters: int('FLEET_CAPACITY_WRITERS', 32, 1, 1000),
    seed: int('FLEET_SEED', 5000, 0, 1_000_000),
    pollIntervalMs: int('FLEET_POLL_INTERVAL_MS', 1, 0, 1000),
    phaseSeconds: int('FLEET_PHASE_SECONDS', 120, 5, 3600),
    sampleTimeoutMs: int('FLEET_SAMPLE_TIMEOUT_MS', 5000, 100, 60_000),
    targetMs: int('FLEET_TARGET_MS', 200, 1, 60_000),
    out: process.env.FLEET_OUT || 'bench/fleet-results.md',
  };
}
