import { AppError } from '../errors';
import type { ServiceDeps } from '../services/deps';

/** The services once the policy is loaded; until then requests that need them get a 503. */
export interface Lifecycle {
  deps?: ServiceDeps;
  /** set on SIGTERM/SIGINT: /readyz answers 503 from then on */
  shuttingDown?: boolean;
  /** why the policy is not loaded yet, while start-up waits for the database */
  waiting?: { reason: 'database_unreachable'; message: string; attempts: number };
}

export function ready(lifecycle: Lifecycle): ServiceDeps {
  if (!lifecycle.deps) throw new AppError(503, 'not_ready', 'the policy is still loading; retry shortly');
  return lifecycle.deps;
}
