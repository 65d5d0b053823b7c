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
  readonly now: () => number;
}
