import { NAME_PATTERN, USER_ID_PATTERN } from '../engine/names';
import type { Op, UserState } from '../engine/records';
import { TAG_PATTERN } from '../engine/tags';
import { AppError } from '../errors';
import { membershipKey, parseMembership, parseTags, upsertOp, type MembershipSpec } from '../services/membershipInput';
import { PolicyFileError, type PolicyTestFile, type RealmFixtures } from './testFile';

/** One realm's fixtures, validated by the service's own rules and in the order the service writes them. */
export interface RealmSetup {
  realm: string;
  /** where the fixtures sit in the file: '' or 'realms.acme.' */
  at: string;
  roles: { name: string; permissions: string[] }[];
  users: Map<string, UserState>;
  orgs: string[];
  memberships: MembershipSpec[];
}

/** A test's check with its realm and instant settled, ready to ask. */
export interface ResolvedCheck {
  realm: string;
  subject: string;
  org: string | null;
  permission: string;
  /** epoch milliseconds */
  now: number;
}

const PAST = Number.NEGATIVE_INFINITY;

/** Runs a service validation and reports what it rejects as a file error at the same path. */
function validated<T>(file: string, at: string, run: () => T): T {
  try {
    return run();
  } catch (err) {
    if (err instanceof AppError) throw new PolicyFileError(file, `${at}${err.field ?? ''}`, err.message.replace(`${err.field} `, ''));
    throw err;
  }
}

function name(file: string, at: string, value: string, pattern: RegExp): string {
  if (!pattern.test(value)) throw new PolicyFileError(file, at, `must match ${pattern.source}`);
  return value;
}

function realmSetup(file: string, realm: string, at: string, fixtures: RealmFixtures): RealmSetup {
  name(file, at ? at.slice(0, -1) : 'realm', realm, NAME_PATTERN);
  const roles = Object.entries(fixtures.roles ?? {}).map(([role, tags]) => ({
    name: name(file, `${at}roles.${role}`, role, NAME_PATTERN),
    permissions: validated(file, '', () => parseTags(tags, `${at}roles.${role}`)),
  }));
  const users = new Map<string, UserState>();
  for (const [user, state] of Object.entries(fixtures.users ?? {})) users.set(name(file, `${at}users.${user}`, user, USER_ID_PATTERN), state);
  const orgs = (fixtures.orgs ?? []).map((org, i) => name(file, `${at}orgs[${i}]`, org, NAME_PATTERN));
  const roleNames = new Set(roles.map((r) => r.name));
  const seen = new Map<string, number>();
  const memberships = (fixtures.memberships ?? []).map((input, i) => {
    // memberships already expired at `now` are fixtures too, so any expiry is accepted here
    const spec = validated(file, at, () => parseMembership(input, `memberships[${i}].`, PAST));
    const key = membershipKey(spec.user, spec.org);
    if (seen.has(key)) throw new PolicyFileError(file, `${at}memberships[${i}]`, `names the same membership as memberships[${seen.get(key)}]`);
    seen.set(key, i);
    spec.roles.forEach((role, r) => {
      if (!roleNames.has(role)) throw new PolicyFileError(file, `${at}memberships[${i}].roles[${spec.roleIndex[r]}]`, `role '${role}' is not defined in roles`);
    });
    if (!users.has(spec.user)) users.set(spec.user, 'active');
    if (spec.org !== null && !orgs.includes(spec.org)) orgs.push(spec.org);
    return spec;
  });
  return { realm, at, roles, users, orgs, memberships };
}

/** Every realm a file sets up, validated. */
export function realmSetups(file: string, suite: PolicyTestFile): RealmSetup[] {
  if (suite.realms !== undefined) return Object.entries(suite.realms).map(([realm, f]) => realmSetup(file, realm, `realms.${realm}.`, f));
  return [realmSetup(file, suite.realm as string, '', suite)];
}

/** The ops that write a realm's fixtures, as the service would: realm, orgs, users, roles, then memberships. */
export function fixtureOps(setup: RealmSetup): Op[] {
  const { realm } = setup;
  return [
    { type: 'realm.upserted', realm },
    ...setup.orgs.map((org): Op => ({ type: 'org.upserted', realm, org })),
    ...[...setup.users].map(([user, state]): Op => ({ type: 'user.upserted', realm, user, state })),
    ...setup.roles.map((r): Op => ({ type: 'role.upserted', realm, role: r.name, permissions: r.permissions })),
    ...setup.memberships.map((m) => upsertOp(realm, m, null)),
  ];
}

/** Each test's check with its realm (the file's, unless it names one) and instant. */
export function resolveChecks(file: string, suite: PolicyTestFile): ResolvedCheck[] {
  const realms = suite.realms ? Object.keys(suite.realms) : [suite.realm as string];
  return suite.tests.map((t, i) => {
    const at = `tests[${i}].check`;
    const realm = t.check.realm ?? (realms.length === 1 ? realms[0] : undefined);
    if (realm === undefined) throw new PolicyFileError(file, `${at}.realm`, 'is required when the file holds several realms');
    name(file, `${at}.realm`, realm, NAME_PATTERN);
    name(file, `${at}.subject`, t.check.subject, USER_ID_PATTERN);
    const org = t.check.org ?? null;
    if (org !== null) name(file, `${at}.org`, org, NAME_PATTERN);
    if (!TAG_PATTERN.test(t.check.permission)) throw new PolicyFileError(file, `${at}.permission`, `must match ${TAG_PATTERN.source}`);
    return { realm, subject: t.check.subject, org, permission: t.check.permission, now: Date.parse(t.now ?? suite.now) };
  });
}
