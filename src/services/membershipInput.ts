import { NAME_PATTERN, USER_ID_PATTERN } from '../engine/names';
import { orgFromKey } from '../engine/realmRecords';
import type { MembershipFields, Op, RemovedMembership } from '../engine/records';
import { MAX_TAGS, normalizeTags, TAG_PATTERN } from '../engine/tags';
import { TimeSlice } from '../engine/timeSlice';
import { invalid } from '../errors';
import type { Tx } from '../store/database';

export interface MembershipInput {
  user: string;
  org?: string | null;
  roles?: string[];
  permissions?: string[];
  expiresAt?: string | null;
}

export interface MembershipSpec {
  user: string;
  org: string | null;
  /** without duplicates */
  roles: string[];
  /** where each role stood in the request, for error fields */
  roleIndex: number[];
  permissions: string[];
  /** ISO 8601, normalised */
  expiresAt: string | null;
  /** where it came from in the request, for error fields: '' or 'upsert[3].' */
  field: string;
}

const MAX_ROLES = 2000;

/** Validates one membership as BRIEF rule 1 says (openapi.yaml checks the same; this is for every caller). */
export function parseMembership(input: MembershipInput, field: string, now: number): MembershipSpec {
  if (!USER_ID_PATTERN.test(input.user)) throw invalid(`${field}user`, `must match ${USER_ID_PATTERN.source}`);
  const org = input.org ?? null;
  if (org !== null && !NAME_PATTERN.test(org)) throw invalid(`${field}org`, `must match ${NAME_PATTERN.source}`);
  const given = input.roles ?? [];
  if (given.length > MAX_ROLES) throw invalid(`${field}roles`, `must have at most ${MAX_ROLES} items`);
  given.forEach((r, i) => {
    if (!NAME_PATTERN.test(r)) throw invalid(`${field}roles[${i}]`, `must match ${NAME_PATTERN.source}`);
  });
  const roles = [...new Set(given)];
  const permissions = parseTags(input.permissions ?? [], `${field}permissions`);
  let expiresAt: string | null = null;
  if (input.expiresAt !== undefined && input.expiresAt !== null) {
    const at = Date.parse(input.expiresAt);
    if (Number.isNaN(at)) throw invalid(`${field}expiresAt`, 'must be an RFC 3339 date-time');
    if (at <= now) throw invalid(`${field}expiresAt`, 'must be in the future');
    expiresAt = new Date(at).toISOString();
  }
  return { user: input.user, org, roles, roleIndex: roles.map((r) => given.indexOf(r)), permissions, expiresAt, field };
}

export function parseTags(tags: string[], field: string): string[] {
  if (tags.length > MAX_TAGS) throw invalid(field, `must have at most ${MAX_TAGS} items`);
  tags.forEach((t, i) => {
    if (!TAG_PATTERN.test(t)) throw invalid(`${field}[${i}]`, `must match ${TAG_PATTERN.source}`);
  });
  return normalizeTags(tags);
}

/** `previous`: what the membership said before (null when it is new), for the event of the change. */
export function upsertOp(realm: string, m: MembershipSpec, previous: MembershipFields | null): Op {
  return {
    type: 'membership.upserted',
    realm,
    user: m.user,
    org: m.org,
    roles: m.roles,
    permissions: m.permissions,
    expiresAt: m.expiresAt,
    previous,
  };
}

/** What a stored membership row says, as changes record it. */
export const rowFields = (row: { roles: string[]; permissions: string[]; expiresAt: Date | null }): MembershipFields => ({
  roles: row.roles,
  permissions: row.permissions,
  expiresAt: row.expiresAt?.toISOString() ?? null,
});

/** The memberships a delete of a user, org or realm takes with it, for their events. */
export async function removedMemberships(
  tx: Pick<Tx, 'membership'>,
  where: { realm: string; user?: string; org?: string },
): Promise<RemovedMembership[]> {
  const rows = await tx.membership.findMany({ where, orderBy: [{ user: 'asc' }, { org: 'asc' }] });
  return rows.map((r) => ({ user: r.user, org: orgFromKey(r.org), ...rowFields(r) }));
}

/** Identifies a membership within a realm: one per (user, org). */
export const membershipKey = (user: string, org: string | null): string => `${user}\u0000${org ?? ''}`;

export const sameList = (a: readonly string[], b: readonly string[]): boolean =>
  a.length === b.length && a.every((x, i) => x === b[i]);

/** Whether a stored membership already says exactly what a spec says (then writing it is a no-op). */
export function sameMembership(
  row: { roles: string[]; permissions: string[]; expiresAt: Date | null },
  m: MembershipSpec,
): boolean {
  return (
    sameList(row.roles, m.roles) &&
    sameList(row.permissions, m.permissions) &&
    (row.expiresAt?.toISOString() ?? null) === m.expiresAt
  );
}

const LOOKUP_CHUNK = 1000;

function chunks<T>(list: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}

/** Ops that create the users and orgs the memberships name and that do not exist yet. */
export async function createMissingSubjects(
  tx: Pick<Tx, 'user' | 'org'>,
  realm: string,
  specs: MembershipSpec[],
): Promise<Op[]> {
  // in slices: a sync names tens of thousands
  const slice = new TimeSlice();
  const userSet = new Set<string>();
  const orgSet = new Set<string>();
  for (const m of specs) {
    userSet.add(m.user);
    if (m.org !== null) orgSet.add(m.org);
    if (slice.due()) await slice.pause();
  }
  const users = [...userSet];
  const orgs = [...orgSet];
  // a thousand names per query: one list of 50,000 would be one long step of Prisma's, with no
  // check answered meanwhile
  const knownUsers = new Set<string>();
  for (const names of chunks(users, LOOKUP_CHUNK)) {
    for (const u of await tx.user.findMany({ where: { realm, name: { in: names } }, select: { name: true } })) knownUsers.add(u.name);
    await slice.checkpoint();
  }
  const knownOrgs = new Set<string>();
  for (const names of chunks(orgs, LOOKUP_CHUNK)) {
    for (const o of await tx.org.findMany({ where: { realm, name: { in: names } }, select: { name: true } })) knownOrgs.add(o.name);
    await slice.checkpoint();
  }
  return subjectOps(realm, orgs.filter((o) => !knownOrgs.has(o)), users.filter((u) => !knownUsers.has(u)));
}

/** Ops that create these orgs and these (active) users, orgs first. */
export function subjectOps(realm: string, orgs: string[], users: string[]): Op[] {
  return [
    ...orgs.map((org): Op => ({ type: 'org.upserted', realm, org })),
    ...users.map((user): Op => ({ type: 'user.upserted', realm, user, state: 'active', previous: null })),
  ];
}

type MembershipRow = { user: string; org: string; roles: string[]; permissions: string[]; expiresAt: Date | null };

export const rowOrg = (row: { org: string }): string | null => orgFromKey(row.org);

export interface ChangedMembership {
  spec: MembershipSpec;
  /** what the row said before; null for a new membership */
  previous: MembershipFields | null;
}

/**
 * The specs that would change something: new memberships, or ones that differ from their row. In
 * slices, when given one: a sync compares tens of thousands.
 */
export async function changedMemberships(rows: MembershipRow[], specs: MembershipSpec[], slice = new TimeSlice()): Promise<ChangedMembership[]> {
  const byKey = new Map<string, MembershipRow>();
  for (const r of rows) {
    byKey.set(membershipKey(r.user, rowOrg(r)), r);
    if (slice.due()) await slice.pause();
  }
  const changed: ChangedMembership[] = [];
  for (const spec of specs) {
    const row = byKey.get(membershipKey(spec.user, spec.org));
    if (!row) changed.push({ spec, previous: null });
    else if (!sameMembership(row, spec)) changed.push({ spec, previous: rowFields(row) });
    if (slice.due()) await slice.pause();
  }
  return changed;
}
