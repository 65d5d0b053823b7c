import crypto from 'node:crypto';
import type { Database } from '../store/database';
import { openSecret } from '../store/secretBox';
import { claimWebhook, feedDeliveries, nextDueAt, recordAttempts, type AttemptOutcome, type ClaimedDelivery, type ClaimedWebhook } from '../store/webhookQueue';
import type { SendResult, WebhookSender } from './webhookSender';

export interface DispatcherOptions {
  /** delay before each attempt, in ms; its length is the number of attempts */
  retrySchedule: readonly number[];
  timeoutMs: number;
  /** the longest wait between two looks at the queue when nothing wakes the dispatcher */
  pollMs: number;
  secretKey?: string;
  onError: (err: unknown) => void;
}

const BATCH = 500;
const WORKERS = 4;

/**
 * Turns committed changes into webhook deliveries and sends them. Woken when a revision is applied
 * (a local write, or another sidecar's seen through the change log) and when the next retry falls
 * due; the queue in the database is the only state, so a sidecar killed at any moment leaves
 * nothing undelivered: after a restart (or on another sidecar, once the lease runs out) the
 * deliveries are sent again.
 */
export class WebhookDispatcher {
  private readonly owner = crypto.randomUUID();
  private running = false;
  private again = false;
  private stopped = false;
  private timer: NodeJS.Timeout | undefined;
  private current: Promise<void> = Promise.resolve();
  /** whether any webhook is enabled, as of the last look; until then, assumed */
  private active = true;

  constructor(
    private readonly db: Database,
    private readonly sender: WebhookSender,
    private readonly options: DispatcherOptions,
  ) {}

  /** A lease outlasts the longest attempt twice over, plus a margin. */
  private get leaseMs(): number {
    return 2 * this.options.timeoutMs + 5_000;
  }

  start(): void {
    this.wake();
  }

  /**
   * A revision was applied. Without an enabled webhook there is nothing to do, and the write path
   * is spared the queue's queries; the periodic look notices webhooks made on other sidecars.
   */
  changed(): void {
    if (this.active) this.wake();
  }

  wake(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = true;
    this.current = this.cycle().finally(() => {
      this.running = false;
      if (this.again) {
        this.again = false;
        this.wake();
      }
    });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    this.sender.abort();
    await this.current;
  }

  private async cycle(): Promise<void> {
    clearTimeout(this.timer);
    try {
      // a webhook of a deleted realm keeps it going until it is removed
      this.active = (await this.db.prisma.webhook.count({ where: { OR: [{ enabled: true }, { finalRevision: { not: null } }] } })) > 0;
      if (!this.active) {
        this.schedule(this.options.pollMs);
        return;
      }
      await feedDeliveries(this.db);
      await Promise.all(Array.from({ length: WORKERS }, () => this.work()));
      const due = await nextDueAt(this.db);
      this.schedule(due === null ? this.options.pollMs : Math.min(this.options.pollMs, Math.max(10, due - Date.now())));
    } catch (err) {
      if (!this.stopped) this.options.onError(err);
      this.schedule(this.options.pollMs);
    }
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.wake(), ms);
    this.timer.unref();
  }

  private async work(): Promise<void> {
    while (!this.stopped) {
      const claimed = await claimWebhook(this.db, this.owner, this.leaseMs, BATCH);
      if (!claimed) return;
      await this.deliver(claimed);
    }
  }

  private secrets(hook: ClaimedWebhook): string[] {
    const secrets = [openSecret(hook.secret, this.options.secretKey)];
    if (hook.previousSecret && hook.previousSecretUntil && hook.previousSecretUntil.getTime() > Date.now()) {
      secrets.push(openSecret(hook.previousSecret, this.options.secretKey));
    }
    return secrets;
  }

  /**
   * Sends a claimed webhook's due deliveries in queue order, while the lease leaves time for one
   * more, and records the outcomes in one statement. The sends are pipelined on the webhook's
   * connection (see WebhookSender): up to `sender.pipeline` on their way while the receiver answers
   * 2xx quickly, one at a time otherwise. Quickly means within a quarter of the timeout for a full
   * pipeline, so a request waiting behind others is never the one that times out. A request
   * sent behind others that is lost with its connection, unanswered (a receiver closing a
   * keep-alive connection drops what was pipelined on it), was most likely never read: it is not
   * counted as an attempt and stays due, to be sent again at once.
   */
  private async deliver(hook: ClaimedWebhook): Promise<void> {
    const outcomes: (AttemptOutcome | undefined)[] = [];
    let disable = false;
    const secrets = this.secrets(hook);
    const { timeoutMs } = this.options;
    const depth = this.sender.pipeline;
    const quick = timeoutMs / (4 * depth);
    const inFlight = new Set<Promise<void>>();
    let window = 1;
    let answeredAt = 0;
    for (const [i, d] of hook.deliveries.entries()) {
      while (inFlight.size >= window) await Promise.race(inFlight);
      if (this.stopped || disable || Date.now() + timeoutMs + 1_000 > hook.leaseUntil.getTime()) break;
      const sentAt = Date.now();
      const pipelined = inFlight.size > 0;
      const sent: Promise<void> = this.sender.send(hook.id, hook.url, secrets, d.eventId, d.payload).then((result) => {
        inFlight.delete(sent);
        // cut short by shutdown: not an attempt; the delivery stays due, for the next start or sidecar
        if (this.stopped) return;
        const now = Date.now();
        if (pipelined && result.statusCode === null && !result.timedOut) {
          window = 1;
          return;
        }
        const ok = result.statusCode !== null && result.statusCode >= 200 && result.statusCode < 300;
        // answers come in order: this one took from the later of its sending and the previous answer
        window = ok && now - Math.max(sentAt, answeredAt) <= quick ? depth : 1;
        answeredAt = now;
        outcomes[i] = this.outcome(d, result, now);
        if (result.statusCode === 410) disable = true;
      });
      inFlight.add(sent);
    }
    await Promise.all(inFlight);
    // the answers of requests already on their way when a 410 came are recorded as they were
    await recordAttempts(this.db, this.owner, hook.id, outcomes.filter((o): o is AttemptOutcome => o !== undefined), disable);
  }

  /** What an attempt's answer means for its delivery: delivered, due again (when), or failed. */
  private outcome(d: ClaimedDelivery, result: SendResult, attemptedAt: number): AttemptOutcome {
    const schedule = this.options.retrySchedule;
    const attempt = d.attempts + 1;
    const code = result.statusCode;
    const base = { id: d.id, attemptedAt, statusCode: code, error: result.error };
    if (code !== null && code >= 200 && code < 300) return { ...base, status: 'delivered', nextAttemptAt: null };
    // the receiver says the endpoint is gone: stop sending to it
    if (code === 410) return { ...base, status: 'failed', nextAttemptAt: null, error: 'the receiver answered 410 Gone; the webhook was disabled' };
    const error = result.error ?? `the receiver answered ${code}`;
    if (attempt >= schedule.length) return { ...base, error, status: 'failed', nextAttemptAt: null };
    const delay = Math.max(schedule[attempt], result.retryAfterMs ?? 0);
    return { ...base, error, status: 'pending', nextAttemptAt: attemptedAt + delay };
  }
}
