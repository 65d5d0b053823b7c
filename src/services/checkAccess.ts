import { decide, type Decision } from '../engine/decide';
import type { PolicyState } from '../engine/policyState';
import { AppError, invalid } from '../errors';

export interface CheckInput {
  realm?: string;
  subject: string;
  org?: string | null;
  permission: string;
  /** answer only once local state has reached this revision */
  atLeast?: number;
}

/** The revision a single check or a batch must wait for, if any. */
export function revisionWanted(inputs: readonly CheckInput[], batchAtLeast?: number): number | undefined {
  let wanted = batchAtLeast;
  for (const input of inputs) {
    if (input.atLeast !== undefined && (wanted === undefined || input.atLeast > wanted)) wanted = input.atLeast;
  }
  return wanted;
}

export type CheckResult = Decision & { revision: number };

interface CheckDeps {
  readonly state: PolicyState;
  readonly config: { readonly defaultRealm?: string };
  readonly now: () => number;
}

/**
 * May this subject do this in this org? Answered from memory alone. Input shape is validated by
 * openapi.yaml before it gets here; what is left is the default realm (REALMGATE_DEFAULT_REALM,
 * or the realm of the token that asks).
 */
export function checkAccess(deps: CheckDeps, input: CheckInput, defaultRealm = deps.config.defaultRealm): CheckResult {
  return decideWith(deps, input, resolveRealm(input, defaultRealm), deps.now());
}

/** Every check at the same instant and revision; a missing realm anywhere rejects the whole batch. */
export function checkAccessBatch(deps: CheckDeps, inputs: CheckInput[], defaultRealm = deps.config.defaultRealm): CheckResult[] {
  const now = deps.now();
  const realms: string[] = new Array<string>(inputs.length);
  for (let i = 0; i < inputs.length; i += 1) realms[i] = resolveRealm(inputs[i], defaultRealm, i);
  const results: CheckResult[] = new Array<CheckResult>(inputs.length);
  for (let i = 0; i < inputs.length; i += 1) results[i] = decideWith(deps, inputs[i], realms[i], now);
  return results;
}

/** `at`: the check's index in a batch, for naming the field. */
function resolveRealm(input: CheckInput, defaultRealm: string | undefined, at?: number): string {
  const realm = input.realm ?? defaultRealm;
  if (realm === undefined) {
    throw invalid(at === undefined ? 'realm' : `checks[${at}].realm`, 'is required when REALMGATE_DEFAULT_REALM is not set');
  }
  return realm;
}

function decideWith(deps: CheckDeps, input: CheckInput, realm: string, now: number): CheckResult {
  const revision = deps.state.revision;
  const decision = decide(
    deps.state,
    { realm, subject: input.subject, org: input.org ?? null, permission: input.permission.toLowerCase() },
    now,
  );
  // built field by field: one shape for each outcome, cheaper than spreading a decision of either
  return decision.allowed
    ? { allowed: true, reason: 'granted', match: decision.match, revision }
    : { allowed: false, reason: decision.reason, revision };
}

/**
 * A realm token asks only about its own realm: a check (any check of a batch) naming another is a
 * 403 for the whole request, before anything is decided.
 */
export function confineChecks(inputs: readonly CheckInput[], realm: string, batch: boolean): void {
  for (let i = 0; i < inputs.length; i += 1) {
    const named = inputs[i].realm;
    if (named !== undefined && named !== realm) {
      throw new AppError(403, 'forbidden', `this token belongs to realm '${realm}' and cannot check realm '${named}'`, batch ? `checks[${i}].realm` : 'realm');
    }
  }
}
