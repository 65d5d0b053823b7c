import { AppError } from '../errors';
import type { ServiceDeps } from './deps';

/**
 * Read-your-writes across the fleet: waits, at most REALMGATE_MAX_WAIT_MS, until local state has
 * reached the revision a write answered with (on this sidecar or any other). Past that, a 503
 * `stale` that says where local state stands.
 */
export async function awaitRevision(deps: Pick<ServiceDeps, 'state' | 'fleet' | 'config'>, atLeast: number): Promise<void> {
  if (deps.state.revision >= atLeast) return;
  if (await deps.fleet.reach(atLeast, deps.config.maxWaitMs)) return;
  const revision = deps.state.revision;
  throw new AppError(503, 'stale', `local state is at revision ${revision}, not yet at ${atLeast}; retry`, undefined, { revision });
}
