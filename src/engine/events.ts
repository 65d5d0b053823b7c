import type { Change, MembershipFields, Op, RemovedMembership } from './records';

/** The event types realmgate publishes; nothing else in the change log becomes an event. */
export const EVENT_TYPES = [
  'realm.created',
  'realm.deleted',
  'org.created',
  'org.deleted',
  'user.created',
  'user.updated',
  'user.deleted',
  'role.created',
  'role.updated',
  'role.deleted',
  'membership.created',
  'membership.updated',
  'membership.deleted',
] as const;

export type EventType = (typeof EVENT_TYPES)[number];

export type MembershipDeletionReason = 'api' | 'sync' | 'expired' | 'user_deleted' | 'org_deleted' | 'realm_deleted';

export interface RealmEvent {
  /** `<revision>.<n>`: n counts the change's events from 1, so ids are stable and ordered */
  id: string;
  type: EventType;
  realm: string;
  revision: number;
  occurredAt: string;
  /** the record after the change (for a deletion: as it was, with the reason for memberships) */
  data: Record<string, unknown>;
  /** an `updated` event's record before the change */
  previous?: Record<string, unknown>;
}

type Draft = Pick<RealmEvent, 'type' | 'data' | 'previous'>;

const membershipData = (realm: string, user: string, org: string | null, fields: MembershipFields) => ({
  realm,
  user,
  org,
  roles: fields.roles,
  permissions: fields.permissions,
  expiresAt: fields.expiresAt,
});

const UNKNOWN_FIELDS: MembershipFields = { roles: [], permissions: [], expiresAt: null };

function cascade(realm: string, removed: RemovedMembership[] | undefined, reason: MembershipDeletionReason): Draft[] {
  return (removed ?? []).map((m) => ({ type: 'membership.deleted', data: { ...membershipData(realm, m.user, m.org, m), reason } }));
}

/**
 * The events of one op. An upsert whose op says what existed before is `created` or `updated`;
 * entries written before ops said so read as `updated` without `previous`. Op types that are not
 * records' changes (anything not listed here) yield none.
 */
function draftsOf(op: Op): Draft[] {
  const realm = op.realm;
  switch (op.type) {
    case 'realm.upserted':
      return [{ type: 'realm.created', data: { realm } }];
    case 'realm.deleted':
      return [...cascade(realm, op.memberships, 'realm_deleted'), { type: 'realm.deleted', data: { realm } }];
    case 'org.upserted':
      return [{ type: 'org.created', data: { realm, org: op.org } }];
    case 'org.deleted':
      return [...cascade(realm, op.memberships, 'org_deleted'), { type: 'org.deleted', data: { realm, org: op.org } }];
    case 'user.upserted': {
      const data = { realm, user: op.user, state: op.state };
      if (op.previous === null) return [{ type: 'user.created', data }];
      return [{ type: 'user.updated', data, ...(op.previous ? { previous: { ...data, state: op.previous } } : {}) }];
    }
    case 'user.deleted':
      return [
        ...cascade(realm, op.memberships, 'user_deleted'),
        { type: 'user.deleted', data: { realm, user: op.user, ...(op.state ? { state: op.state } : {}) } },
      ];
    case 'role.upserted': {
      const data = { realm, role: op.role, permissions: op.permissions };
      if (op.previous === null) return [{ type: 'role.created', data }];
      return [{ type: 'role.updated', data, ...(op.previous ? { previous: { ...data, permissions: op.previous } } : {}) }];
    }
    case 'role.deleted':
      return [{ type: 'role.deleted', data: { realm, role: op.role, ...(op.permissions ? { permissions: op.permissions } : {}) } }];
    case 'membership.upserted': {
      const data = membershipData(realm, op.user, op.org, op);
      if (op.previous === null) return [{ type: 'membership.created', data }];
      return [{ type: 'membership.updated', data, ...(op.previous ? { previous: membershipData(realm, op.user, op.org, op.previous) } : {}) }];
    }
    case 'membership.deleted': {
      const reason: MembershipDeletionReason = op.reason === 'deleted' ? 'api' : op.reason;
      return [{ type: 'membership.deleted', data: { ...membershipData(realm, op.user, op.org, op.previous ?? UNKNOWN_FIELDS), reason } }];
    }
    default:
      return [];
  }
}

/** The events of a committed change, in the order its ops were applied. */
export function eventsOf(change: Change & { at: Date }): RealmEvent[] {
  const occurredAt = change.at.toISOString();
  const events: RealmEvent[] = [];
  for (const op of change.ops) {
    for (const draft of draftsOf(op)) {
      events.push({
        id: `${change.revision}.${events.length + 1}`,
        type: draft.type,
        realm: change.realm,
        revision: change.revision,
        occurredAt,
        data: draft.data,
        ...(draft.previous ? { previous: draft.previous } : {}),
      });
    }
  }
  return events;
}

/** An event id `<revision>.<n>`, or undefined when the text is not one. */
export function parseEventId(text: string): { revision: number; n: number } | undefined {
  const m = /^(\d{1,15})\.(\d{1,9})$/.exec(text.trim());
  return m ? { revision: Number(m[1]), n: Number(m[2]) } : undefined;
}

/** Whether a type filter (exact types, `membership.*`, or `*`) takes an event type. */
export function typeMatches(filters: readonly string[], type: string): boolean {
  for (const f of filters) {
    if (f === '*' || f === type || (f.endsWith('.*') && type.startsWith(f.slice(0, -1)))) return true;
  }
  return false;
}
