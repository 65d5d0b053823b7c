import pg from 'pg';
import { APPLICATION_NAME } from './applicationName';
import { CHANGE_CHANNEL } from './changeLog';

export interface ChangeListenerOptions {
  databaseUrl: string;
  /** how long opening the connection may take before it counts as lost (and is tried again) */
  connectTimeoutMs: number;
  /** a notification announced this revision */
  onNotified: (revision: number) => void;
  /** (re)connected and listening: anything committed meanwhile must be read from the log */
  onListening: () => void;
  onError: (err: unknown) => void;
}

const FIRST_RETRY_MS = 100;
const LAST_RETRY_MS = 5_000;

/**
 * One dedicated connection that LISTENs for committed changes. When it drops (a restart, a
 * failover, pg_terminate_backend), it reconnects with growing pauses, and each time it listens
 * again it says so, so that what was missed meanwhile is caught up from the log.
 */
export class ChangeListener {
  private client: pg.Client | undefined;
  private stopped = false;
  private retryMs = FIRST_RETRY_MS;
  private retryTimer: NodeJS.Timeout | undefined;

  constructor(private readonly options: ChangeListenerOptions) {}

  get listening(): boolean {
    return this.client !== undefined;
  }

  /** Resolves after the first attempt, connected or not; later attempts go on in the background. */
  async start(): Promise<void> {
    await this.connect();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    const client = new pg.Client({
      connectionString: this.options.databaseUrl,
      application_name: APPLICATION_NAME,
      connectionTimeoutMillis: this.options.connectTimeoutMs,
      // the connection is idle between notifications: TCP keep-alive finds one that died silently
      keepAlive: true,
    });
    client.on('error', (err) => this.lost(client, err));
    client.on('end', () => this.lost(client, undefined));
    client.on('notification', (message) => {
      const revision = Number.parseInt(message.payload ?? '', 10);
      if (Number.isSafeInteger(revision)) this.options.onNotified(revision);
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${CHANGE_CHANNEL}`);
    } catch (err) {
      this.lost(client, err);
      return;
    }
    if (this.stopped) {
      await client.end().catch(() => undefined);
      return;
    }
    this.client = client;
    this.retryMs = FIRST_RETRY_MS;
    this.options.onListening();
  }

  private lost(client: pg.Client, err: unknown): void {
    if (this.client === client) this.client = undefined;
    client.removeAllListeners('end');
    client.removeAllListeners('notification');
    client.on('error', () => undefined);
    client.end().catch(() => undefined);
    if (this.stopped || this.retryTimer) return;
    if (err) this.options.onError(new Error(`change notifications lost (${err instanceof Error ? err.message : String(err)}); reconnecting`));
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      void this.connect();
    }, this.retryMs);
    this.retryMs = Math.min(this.retryMs * 2, LAST_RETRY_MS);
  }
}
