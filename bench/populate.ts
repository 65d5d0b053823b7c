import { startRuntime } from '../src/runtime/startRuntime';
import { putOrg } from '../src/services/orgs';
import { putRealm } from '../src/services/realms';
import { putRole } from '../src/services/roles';
import { syncMemberships } from '../src/services/syncMemberships';
import { putUser } from '../src/services/users';
import { benchConfig, type Backend } from './databases';
import { summarize, type Summary } from './stats';
import { buildWorkload } from './workload';

export interface PopulateResult {
  backend: Backend['kind'];
  ms: number;
  syncMs: number;
  writes: number;
  /** the single writes (realm, role, org, user), ms */
  single: Summary;
  revision: number;
}

/** Orgs an admin creates one by one before the sync; the sync creates the others, as it does for users. */
const ORGS_PUT_ONE_BY_ONE = 20;

/**
 * Writes a workload through the service layer, the real write path: the realm, its roles, its first
 * orgs and its disabled users one write each, then all its memberships in one whole-realm sync
 * (which creates the other orgs and users).
 */
export async function populate(args: { size: number; backend: Backend }): Promise<PopulateResult> {
  const workload = buildWorkload(args.size);
  const started = performance.now();
  const runtime = await startRuntime(benchConfig(args.backend), { onError: (err) => console.error('bench populate:', err) });
  const deps = runtime.deps;
  let syncMs = 0;
  let revision = 0;
  const single: number[] = [];
  const timed = async (write: () => Promise<unknown>) => {
    const t0 = performance.now();
    await write();
    single.push(performance.now() - t0);
  };
  try {
    for (const realm of workload.realms) {
      await timed(() => putRealm(deps, realm.name));
      for (const role of realm.roles) await timed(() => putRole(deps, realm.name, role.name, role.permissions));
      for (const org of realm.orgs.slice(0, ORGS_PUT_ONE_BY_ONE)) await timed(() => putOrg(deps, realm.name, org));
      for (const user of realm.disabledUsers) await timed(() => putUser(deps, realm.name, user, 'disabled'));
      const syncStart = performance.now();
      revision = (await syncMemberships(deps, realm.name, {}, realm.memberships)).revision;
      syncMs += performance.now() - syncStart;
    }
  } finally {
    await runtime.close();
  }
  return {
    backend: args.backend.kind,
    ms: performance.now() - started,
    syncMs,
    writes: single.length + workload.realms.length,
    single: summarize(single),
    revision,
  };
}
