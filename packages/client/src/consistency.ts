/**
 * How fresh an answer must be.
 * - `session` (the default): at least as fresh as every write this client (or any client sharing
 *   its SessionClock) has made, so an app reads its own writes, on any sidecar of a fleet.
 * - `minimize_latency`: whatever the sidecar holds now; never waits.
 * - `{atLeast: n}`: at least revision n (a revision a write answered with, anywhere).
 */
export type Consistency = 'session' | 'minimize_latency' | { atLeast: number };

/**
 * The highest revision returned by the writes of one session. Clients given the same clock share
 * it: a membership written through one sidecar is seen by checks through another.
 */
export class SessionClock {
  private highest = 0;

  get revision(): number {
    return this.highest;
  }

  /** Records a revision a write answered with; revisions only move forward. */
  observe(revision: number | undefined): void {
    if (typeof revision === 'number' && revision > this.highest) this.highest = revision;
  }
}

/** The `atLeast` to send for a read or check, or undefined for none. */
export function atLeastFor(consistency: Consistency, clock: SessionClock): number | undefined {
  if (consistency === 'minimize_latency') return undefined;
  if (consistency === 'session') return clock.revision > 0 ? clock.revision : undefined;
  if (!Number.isSafeInteger(consistency.atLeast) || consistency.atLeast < 0) {
    throw new TypeError(`consistency.atLeast must be a non-negative integer, got ${String(consistency.atLeast)}`);
  }
  return consistency.atLeast;
}
