import type { MembershipItem, UserState } from '@realmgate/client';
import { NAME_PATTERN, USER_ID_PATTERN } from '../../engine/names';
import { AppError } from '../../errors';
import { parseMembership, parseTags } from '../../services/membershipInput';

/** What one line of an import says. Lines without `kind` are memberships. */
export type ImportRecord =
  | { kind: 'membership'; item: MembershipItem }
  | { kind: 'role'; role: string; permissions: string[] }
  | { kind: 'user'; user: string; state: UserState }
  | { kind: 'org'; org: string }
  | { kind: 'header'; realm: string };

const MEMBERSHIP_KEYS = new Set(['kind', 'user', 'org', 'roles', 'permissions', 'expiresAt']);

class Rejected extends Error {}

const object = (value: unknown): Record<string, unknown> => {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Rejected('must be a JSON object');
  return value as Record<string, unknown>;
};

function onlyKeys(record: Record<string, unknown>, allowed: string[]): void {
  const extra = Object.keys(record).filter((k) => !allowed.includes(k));
  if (extra.length > 0) throw new Rejected(`${extra[0]} is not allowed here (allowed: ${allowed.join(', ')})`);
}

function stringList(record: Record<string, unknown>, key: string): string[] | undefined {
  const v = record[key];
  if (v === undefined) return undefined;
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) throw new Rejected(`${key} must be an array of strings`);
  return v as string[];
}

function membership(record: Record<string, unknown>, now: number): ImportRecord {
  const extra = Object.keys(record).filter((k) => !MEMBERSHIP_KEYS.has(k));
  if (extra.length > 0) throw new Rejected(`${extra[0]} is not a membership field (fields: user, org, roles, permissions, expiresAt)`);
  if (typeof record.user !== 'string') throw new Rejected('user must be a string');
  if (record.org !== undefined && record.org !== null && typeof record.org !== 'string') throw new Rejected('org must be a string or null');
  if (record.expiresAt !== undefined && record.expiresAt !== null && typeof record.expiresAt !== 'string') throw new Rejected('expiresAt must be a date-time string or null');
  const item: MembershipItem = { user: record.user };
  if (record.org !== undefined) item.org = record.org as string | null;
  const roles = stringList(record, 'roles');
  const permissions = stringList(record, 'permissions');
  if (roles !== undefined) item.roles = roles;
  if (permissions !== undefined) item.permissions = permissions;
  if (record.expiresAt !== undefined) item.expiresAt = record.expiresAt as string | null;
  // the server's own rules (names, tags, counts, expiry in the future), so a bad line is found before it is sent
  parseMembership(item, '', now);
  return { kind: 'membership', item };
}

function classify(value: unknown, now: number): ImportRecord {
  const record = object(value);
  switch (record.kind ?? 'membership') {
    case 'membership':
      return membership(record, now);
    case 'role': {
      onlyKeys(record, ['kind', 'role', 'permissions']);
      if (typeof record.role !== 'string' || !NAME_PATTERN.test(record.role)) throw new Rejected(`role must match ${NAME_PATTERN.source}`);
      const permissions = stringList(record, 'permissions') ?? [];
      parseTags(permissions, 'permissions');
      return { kind: 'role', role: record.role, permissions };
    }
    case 'user': {
      onlyKeys(record, ['kind', 'user', 'state']);
      if (typeof record.user !== 'string' || !USER_ID_PATTERN.test(record.user)) throw new Rejected(`user must match ${USER_ID_PATTERN.source}`);
      const state = record.state ?? 'active';
      if (state !== 'active' && state !== 'disabled') throw new Rejected("state must be 'active' or 'disabled'");
      return { kind: 'user', user: record.user, state };
    }
    case 'org':
      onlyKeys(record, ['kind', 'org']);
      if (typeof record.org !== 'string' || !NAME_PATTERN.test(record.org)) throw new Rejected(`org must match ${NAME_PATTERN.source}`);
      return { kind: 'org', org: record.org };
    case 'realmgate-export':
      onlyKeys(record, ['kind', 'version', 'realm']);
      return { kind: 'header', realm: String(record.realm) };
    default:
      throw new Rejected(`kind must be membership, role, user or org, not ${JSON.stringify(record.kind)}`);
  }
}

/** Reads one line as the server would: the record, or the rule it breaks. */
export function classifyRecord(value: unknown, now: number): ImportRecord | { rejected: string } {
  try {
    return classify(value, now);
  } catch (err) {
    if (err instanceof Rejected || err instanceof AppError) return { rejected: err.message };
    throw err;
  }
}
