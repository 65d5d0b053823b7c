import type { components } from './generated/openapi.js';

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
export type ChangeEvent = Schemas['Event'];
export type Readiness = Schemas['Readiness'];
export type DryRunResult = Schemas['DryRunResult'];
export type Scope = Schemas['Scope'];
export type Token = Schemas['Token'];
export type CreatedToken = Schemas['CreatedToken'];
export type TokenRequest = Schemas['TokenRequest'];

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
