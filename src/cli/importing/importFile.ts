import { isRealmgateError, type DryRunResult, type MembershipItem, type RealmClient } from '@realmgate/client';
import { membershipKey } from '../../services/membershipInput';
import { classifyRecord } from './classifyRecord';
import type { Progress } from './progress';
import { readRecords, type ImportFormat } from './records';

export interface ImportSettings {
  file: string;
  format: ImportFormat;
  sync: boolean;
  dryRun: boolean;
  /** lines before this one are skipped (they were imported by an earlier run) */
  fromLine: number;
  batchSize: number;
  /** with dryRun: entries listed per effect list */
  dryRunLimit: number;
}

export interface RejectedLine {
  line: number;
  message: string;
  field?: string;
}

export interface ImportReport {
  realm: string;
  file: string;
  format: ImportFormat;
  mode: 'batch' | 'sync';
  dryRun: boolean;
  /** records read from --from-line on */
  records: number;
  /** records before --from-line */
  skipped: number;
  memberships: { upserted: number; unchanged: number; deleted: number };
  roles: number;
  users: number;
  orgs: number;
  rejected: RejectedLine[];
  batches: number;
  revision?: number;
  seconds: number;
  /** set when the import stopped early: run again with --from-line this */
  resumeFrom?: number;
  error?: string;
  preview?: DryRunResult;
}

interface Pending {
  line: number;
  item: MembershipItem;
}

/** A failure that no line is to blame for (the realm is missing, the sidecar unreachable, the token refused). */
export class ImportStopped extends Error {}

/** Which item of a batch (or sync) a server 400/422 names, from a field like `upsert[3].permissions[0]`. */
function blamed(field: string | undefined, list: 'upsert' | 'memberships'): { index: number; rest: string } | undefined {
  const m = field === undefined ? null : new RegExp(`^${list}\\[(\\d+)\\]\\.?(.*)$`).exec(field);
  return m ? { index: Number(m[1]), rest: m[2] } : undefined;
}

function addPreview(into: DryRunResult | undefined, next: DryRunResult, limit: number): DryRunResult {
  if (into === undefined) return next;
  const granted = [...into.effect.granted, ...next.effect.granted];
  const revoked = [...into.effect.revoked, ...next.effect.revoked];
  return {
    dryRun: true,
    revision: next.revision,
    changes: { created: into.changes.created + next.changes.created, updated: into.changes.updated + next.changes.updated, deleted: into.changes.deleted + next.changes.deleted },
    effect: {
      granted: granted.slice(0, limit),
      revoked: revoked.slice(0, limit),
      grantedCount: into.effect.grantedCount + next.effect.grantedCount,
      revokedCount: into.effect.revokedCount + next.effect.revokedCount,
    },
    truncated: into.truncated || next.truncated || granted.length > limit || revoked.length > limit,
  };
}

/**
 * Imports a file into a realm: memberships in batches (or, with `sync`, one whole-realm sync),
 * roles as they come, users and orgs that no membership creates at the end. Every line the
 * server would refuse is reported by number and left out; the rest is written.
 */
export async function importFile(realm: RealmClient, settings: ImportSettings, progress: Progress, onRejected: (r: RejectedLine) => void): Promise<ImportReport> {
  const started = performance.now();
  const report: ImportReport = {
    realm: realm.name,
    file: settings.file,
    format: settings.format,
    mode: settings.sync ? 'sync' : 'batch',
    dryRun: settings.dryRun,
    records: 0,
    skipped: 0,
    memberships: { upserted: 0, unchanged: 0, deleted: 0 },
    roles: 0,
    users: 0,
    orgs: 0,
    rejected: [],
    batches: 0,
    seconds: 0,
  };
  const reject = (r: RejectedLine) => {
    report.rejected.push(r);
    onRejected(r);
  };
  // users and orgs of the file that no membership names yet: written at the end (one PUT each)
  const users = new Map<string, { line: number; state: 'active' | 'disabled' }>();
  const orgs = new Map<string, number>();
  let batch: Pending[] = [];
  let keys = new Set<string>();
  const all: Pending[] = [];

  const settle = (sent: Pending[]) => {
    for (const { item } of sent) {
      const u = users.get(item.user);
      if (u !== undefined && u.state === 'active') users.delete(item.user);
      if (item.org) orgs.delete(item.org);
    }
  };

  const send = async () => {
    let items = batch;
    batch = [];
    keys = new Set();
    while (items.length > 0) {
      try {
        const upsert = items.map((p) => p.item);
        if (settings.dryRun) {
          report.preview = addPreview(report.preview, await realm.batch({ upsert }, { dryRun: true, limit: settings.dryRunLimit }), settings.dryRunLimit);
        } else {
          const written = await realm.batch({ upsert });
          report.memberships.upserted += written.upserted;
          report.memberships.unchanged += written.unchanged;
          report.revision = written.revision;
          settle(items);
        }
        report.batches += 1;
        return;
      } catch (err) {
        const at = isRealmgateError(err) && (err.status === 400 || err.status === 422) ? blamed(err.field, 'upsert') : undefined;
        if (at === undefined || at.index >= items.length) throw new ImportStopped(`line ${items[0].line} on: ${describe(err)}`, { cause: { resumeFrom: items[0].line } });
        const culprit = items[at.index];
        const message = (err as Error).message.replace(/^upsert\[\d+\]\.?/, '').trim();
        if ((err as { code?: string }).code === 'unknown_role') {
          // every line naming the missing role is refused alike: one round trip, not one per line
          const role = /^roles\[(\d+)\]$/.exec(at.rest) ? culprit.item.roles?.[Number(/^roles\[(\d+)\]$/.exec(at.rest)?.[1])] : undefined;
          const hit = items.filter((p, k) => k === at.index || (role !== undefined && p.item.roles?.includes(role)));
          for (const p of hit) reject({ line: p.line, message: role === undefined ? message : `role '${role}' does not exist in realm '${realm.name}'`, field: 'roles' });
          items = items.filter((p) => !hit.includes(p));
        } else {
          reject({ line: culprit.line, message, field: at.rest || undefined });
          items = items.filter((_, k) => k !== at.index);
        }
      }
    }
  };

  async function readAll(): Promise<void> {
    for await (const raw of readRecords(settings.file, settings.format)) {
      progress.advance(raw.bytes, 1);
      if (raw.line < settings.fromLine) {
        report.skipped += 1;
        continue;
      }
      report.records += 1;
      if ('error' in raw) {
        reject({ line: raw.line, message: raw.error });
        continue;
      }
      const record = classifyRecord(raw.value, now);
      if ('rejected' in record) {
        reject({ line: raw.line, message: record.rejected });
        continue;
      }
      switch (record.kind) {
        case 'header':
          break;
        case 'role':
          report.roles += 1;
          if (!settings.dryRun) await guarded(raw.line, () => realm.putRole(record.role, record.permissions));
          break;
        case 'user':
          report.users += 1;
          if (record.state === 'disabled' && !settings.dryRun) await guarded(raw.line, () => realm.putUser(record.user, { state: 'disabled' }));
          else users.set(record.user, { line: raw.line, state: record.state });
          break;
        case 'org':
          report.orgs += 1;
          orgs.set(record.org, raw.line);
          break;
        case 'membership': {
          const pending = { line: raw.line, item: record.item };
          if (settings.sync) {
            all.push(pending);
            break;
          }
          const key = membershipKey(record.item.user, record.item.org ?? null);
          // a later line for the same membership wins: it goes in the next batch
          if (keys.has(key)) await send();
          batch.push(pending);
          keys.add(key);
          if (batch.length >= settings.batchSize) await send();
          break;
        }
      }
    }
  }

  const now = Date.now();
  const stopped = (err: unknown): ImportReport => {
    const resumable = withResume(err, users, orgs);
    if (!(resumable instanceof ImportStopped)) throw resumable;
    report.error = resumable.message;
    report.resumeFrom = (resumable.cause as { resumeFrom: number }).resumeFrom;
    report.seconds = (performance.now() - started) / 1000;
    return report;
  };
  try {
    await readAll();
  } catch (err) {
    return stopped(err);
  }
  try {
    if (settings.sync) await syncAll(realm, all, settings, report, reject, settle);
    else await send();
  } catch (err) {
    return stopped(err);
  }
  if (!settings.dryRun && !(settings.sync && report.rejected.length > 0)) {
    try {
      for (const [user, { line, state }] of users) await guarded(line, () => realm.putUser(user, { state }));
      for (const [org, line] of orgs) await guarded(line, () => realm.putOrg(org));
    } catch (err) {
      return stopped(err);
    }
  }
  report.seconds = (performance.now() - started) / 1000;
  return report;
}

/** A sync is all or nothing: a line the server refuses stops it, after every such line is found (by dry-runs). */
async function syncAll(realm: RealmClient, all: Pending[], settings: ImportSettings, report: ImportReport, reject: (r: RejectedLine) => void, settle: (sent: Pending[]) => void): Promise<void> {
  if (report.rejected.length > 0) return;
  let items = all;
  let probing = settings.dryRun;
  for (;;) {
    try {
      const memberships = items.map((p) => p.item);
      if (probing) {
        const preview = await realm.sync(memberships, {}, { dryRun: true, limit: settings.dryRunLimit });
        if (settings.dryRun) report.preview = preview;
        if (report.rejected.length > 0 || settings.dryRun) return;
        probing = false;
        continue;
      }
      const written = await realm.sync(memberships);
      report.memberships = { upserted: written.upserted, unchanged: written.unchanged, deleted: written.deleted };
      report.revision = written.revision;
      report.batches = 1;
      settle(items);
      return;
    } catch (err) {
      const at = isRealmgateError(err) && (err.status === 400 || err.status === 422) ? blamed(err.field, 'memberships') : undefined;
      if (at === undefined || at.index >= items.length) throw new ImportStopped(describe(err), { cause: { resumeFrom: items[0]?.line ?? 1 } });
      reject({ line: items[at.index].line, message: (err as Error).message.replace(/^memberships\[\d+\]\.?/, '').trim(), field: at.rest || undefined });
      items = items.filter((_, k) => k !== at.index);
      probing = true;
    }
  }
}

function describe(err: unknown): string {
  if (isRealmgateError(err)) return err.status === 0 ? err.message : `${err.status} ${err.code}: ${err.message}`;
  return err instanceof Error ? err.message : String(err);
}

/** A write of a role, user or org; a refusal stops the import there. */
async function guarded(line: number, write: () => Promise<unknown>): Promise<void> {
  try {
    await write();
  } catch (err) {
    throw new ImportStopped(`line ${line}: ${describe(err)}`, { cause: { resumeFrom: line } });
  }
}

/** The line to resume from: the failed one, or an earlier user or org line not written yet. */
function withResume(err: unknown, users: Map<string, { line: number }>, orgs: Map<string, number>): unknown {
  if (!(err instanceof ImportStopped)) return err;
  const lines = [(err.cause as { resumeFrom: number }).resumeFrom, ...[...users.values()].map((u) => u.line), ...orgs.values()];
  return new ImportStopped(err.message, { cause: { resumeFrom: Math.min(...lines) } });
}
