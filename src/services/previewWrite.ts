import { changeEffect, type EffectEntry } from '../engine/changeEffect';
import { AppError } from '../errors';
import type { Tx } from '../store/database';
import type { WritePlan } from '../store/writer';
import { awaitRevision } from './awaitRevision';
import type { ServiceDeps } from './deps';

export const DEFAULT_PREVIEW_LIMIT = 1000;

export interface WritePreviewResult {
  dryRun: true;
  /** the revision the preview was computed at; nothing was written, no revision was used */
  revision: number;
  changes: { created: number; updated: number; deleted: number };
  effect: { granted: EffectEntry[]; revoked: EffectEntry[]; grantedCount: number; revokedCount: number };
  /** whether either list was cut to `limit` entries */
  truncated: boolean;
}

/**
 * A dry-run: the write's own plan is run in a transaction that is rolled back (so a dry-run
 * fails with the same 400, 404, 409 or 422 as the write would), and what it would change is laid
 * over memory to find who would gain and who would lose which effective tags.
 */
export async function previewWrite(
  deps: Pick<ServiceDeps, 'state' | 'writer' | 'fleet' | 'config' | 'now'>,
  realm: string,
  plan: (tx: Tx) => Promise<WritePlan<unknown>>,
  limit = DEFAULT_PREVIEW_LIMIT,
): Promise<WritePreviewResult> {
  if (!deps.state.serves(realm)) {
    throw new AppError(409, 'realm_not_served', `this sidecar does not hold realm '${realm}' in memory; ask one that serves it`);
  }
  const preview = await deps.writer.preview(plan);
  // memory is compared with what the plan read: it must have applied everything up to there
  await awaitRevision(deps, preview.head);
  const records = deps.state.realm(realm);
  if (!records) throw new AppError(404, 'realm_not_found', `realm '${realm}' does not exist`);
  const { changes, granted, revoked } = changeEffect(records, preview.changes.flat(), deps.now());
  return {
    dryRun: true,
    revision: deps.state.revision,
    changes,
    effect: {
      granted: granted.slice(0, limit),
      revoked: revoked.slice(0, limit),
      grantedCount: granted.length,
      revokedCount: revoked.length,
    },
    truncated: granted.length > limit || revoked.length > limit,
  };
}
