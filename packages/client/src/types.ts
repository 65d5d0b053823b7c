import type { components, paths } from './generated/openapi.js';

type Schemas = components['schemas'];

/** A check as realmgate takes it; `realm` defaults to the client's, then to the sidecar's. */
export interface CheckInput {
  subject: string;
  permission: string;
  /** leave out (or null) for a realm-level check */
  org?: string | null;
  realm?: string;
}

export type Decision = Schemas['CheckResult'];
export type DenyReason = Exclude<Decision['reason'], 'granted'>;
export type GrantMatch = Schemas['GrantMatch'];
export type EffectivePermissions = Schemas['EffectivePermissions'];
export type Subjects = Schemas['Subjects'];
export type Membership = Schemas['Membership'];
export type MembershipItem = Schemas['MembershipItem'];
export type MembershipKey = Schemas['MembershipKey'];
export type MembershipBody = Schemas['MembershipBody'];
export type UserState = Schemas['UserState'];
export type RealmSummary = Schemas['RealmSummary'];
/** One event of a committed change, as the change log, the live stream and webhooks carry it. */
export type ChangeEvent = Schemas['Event'];
/** One page of the change log: its events and the revision to continue after. */
export interface ChangePage {
  events: ChangeEvent[];
  next: number;
}
export type EventType = Schemas['EventType'];
export type Readiness = Schemas['Readiness'];
/** Every error code realmgate answers with (RealmgateError's `code` may also be a transport one). */
export type ErrorCode = Schemas['Error']['error']['code'];
export type DryRunResult = Schemas['DryRunResult'];
export type Scope = Schemas['Scope'];
export type TokenRequest = Schemas['TokenRequest'];
export type Token = Schemas['Token'];
export type CreatedToken = Schemas['CreatedToken'];
export type Webhook = Schemas['Webhook'];
export type WebhookCreated = Schemas['WebhookCreated'];
export type Delivery = Schemas['Delivery'];
/** Who a token acts as (GET /v1/whoami). */
export type Whoami = Schemas['Whoami'];
/** The sidecar's state digest and the realms it serves (GET /v1/state). */
export type StateDigest = paths['/v1/state']['get']['responses'][200]['content']['application/json'];

/** One page of a listing; `next` is the cursor of the following page, null after the last. */
export interface Paged {
  cursor?: string;
  limit?: number;
}

export interface BatchWritten {
  revision: number;
  upserted: number;
  deleted: number;
  unchanged: number;
}
