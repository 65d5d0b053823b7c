import type { Config } from '../config';
import { createLogger, type Logger } from '../logger';
import type { ServiceDeps } from '../services/deps';
import { expireMemberships, nextExpiry } from '../services/expireMemberships';
import { ChangeApplier } from '../store/changeApplier';
import { openDatabase } from '../store/database';
import { loadState } from '../store/loadState';
import { Writer } from '../store/writer';
import { ExpiryTimer } from './expiryTimer';
import { FleetSync } from './fleetSync';
import { LogCompactor } from './logCompactor';
import { WebhookDispatcher } from './webhookDispatcher';
import { WebhookSender } from './webhookSender';

export interface Runtime {
  readonly deps: ServiceDeps;
  readonly applier: ChangeApplier;
  readonly compactor: LogCompactor;
  readonly webhooks: WebhookDispatcher;
  close(): Promise<void>;
}

export interface RuntimeOptions {
  now?: () => number;
  /** background failures (change applier, fleet sync, expiry, compaction) are logged here */
  logger?: Logger;
  onError?: (err: unknown) => void;
  /** told the duration of every write, in seconds, and whether it committed */
  onWrite?: (seconds: number, outcome: 'committed' | 'failed') => void;
}

/**
 * The composition root: opens the database (applying migrations), loads the policy into memory,
 * wires writer, change applier and expiry timer, and cleans up what expired while it was down.
 */
export async function startRuntime(config: Config, options: RuntimeOptions = {}): Promise<Runtime> {
  const now = options.now ?? Date.now;
  const logger = options.logger ?? createLogger('warn');
  const onError = options.onError ?? ((err: unknown) => logger.error({ err }, 'background task failed'));
  const db = await openDatabase({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    minFreeBytes: config.minFreeBytes,
    pgliteSharedBuffersMb: config.pgliteSharedBuffersMb,
    pool: { size: config.dbPoolSize, idleTimeoutMs: config.dbIdleTimeoutMs, connectTimeoutMs: config.dbConnectTimeoutMs },
  });
  try {
    const state = await loadState(db, config.realms);
    const applier = new ChangeApplier(db, state, onError);
    const writer = new Writer(db, applier, options.onWrite);
    const fleet = new FleetSync(db, state, applier, {
      databaseUrl: config.databaseUrl,
      pollMs: config.pollMs,
      connectTimeoutMs: config.dbConnectTimeoutMs,
      onError,
    });
    const sender = new WebhookSender({
      timeoutMs: config.webhookTimeoutMs,
      allowPrivate: config.webhookAllowPrivate,
      pipeline: config.webhookPipeline,
    });
    const webhooks = new WebhookDispatcher(db, sender, {
      retrySchedule: config.webhookRetrySchedule,
      timeoutMs: config.webhookTimeoutMs,
      pollMs: config.pollMs,
      secretKey: config.webhookKey,
      onError,
    });
    const revisionListeners = new Set<() => void>();
    const onRevision = (listener: () => void) => {
      revisionListeners.add(listener);
      return () => void revisionListeners.delete(listener);
    };
    applier.onAdvanced(() => {
      webhooks.changed();
      for (const listener of revisionListeners) listener();
    });
    const deps: ServiceDeps = { config, db, state, writer, fleet, now, wakeDeliveries: () => webhooks.wake(), onRevision };

    const expiry = new ExpiryTimer(
      async () => {
        await expireMemberships(deps);
        return nextExpiry(deps);
      },
      now,
      onError,
    );
    applier.onApplied((change) => {
      for (const op of change.ops) {
        if (op.type === 'membership.upserted' && op.expiresAt !== null) expiry.consider(Date.parse(op.expiresAt));
      }
    });
    applier.onReloaded(() => expiry.consider(now()));
    // listening first: a change committed while the rest starts is then caught up, not missed
    await fleet.start();
    await applier.catchUp();
    await expiry.start();
    const compactor = new LogCompactor(db, config.logRetentionSeconds, now, onError);
    compactor.start();
    webhooks.start();

    return {
      deps,
      applier,
      compactor,
      webhooks,
      close: async () => {
        compactor.stop();
        await webhooks.stop();
        await sender.close();
        await fleet.stop();
        await expiry.stop();
        await db.close();
      },
    };
  } catch (err) {
    await db.close().catch(() => undefined);
    throw err;
  }
}
