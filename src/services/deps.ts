import type { Config } from '../config';
import type { PolicyState } from '../engine/policyState';
import type { Database } from '../store/database';
import type { Writer } from '../store/writer';

/** What use cases may depend on; each takes the narrowest part it needs. */
export interface ServiceDeps {
  readonly config: Config;
  readonly db: Database;
  readonly state: PolicyState;
  readonly writer: Writer;
  readonly fleet: FleetView;
  readonly now: () => number;
  /** tells the webhook dispatcher there may be deliveries to send */
  readonly wakeDeliveries?: () => void;
  /** calls back whenever local state moves to a newer revision; returns the unsubscribe */
  readonly onRevision?: (listener: () => void) => () => void;
}

/** How this sidecar stands against the database the fleet shares. */
export interface FleetView {
  /** the newest revision known to be committed */
  readonly head: number;
  /** revisions committed and not yet applied here */
  readonly lag: number;
  /** whether change notifications are being received */
  readonly listening: boolean;
  /** resolves true once memory has reached the revision, false when the time runs out first */
  reach(revision: number, timeoutMs: number): Promise<boolean>;
}
