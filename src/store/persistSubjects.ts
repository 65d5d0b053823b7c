import type { Op } from '../engine/records';
import type { Tx } from './database';

export type UserUpserted = Extract<Op, { type: 'user.upserted' }>;
export type OrgUpserted = Extract<Op, { type: 'org.upserted' }>;

/** Users of one realm, each named once, created or given their new state in one statement. */
export async function persistUsers(tx: Tx, realm: string, ops: UserUpserted[]): Promise<void> {
  if (ops.length === 0) return;
  await tx.$executeRaw`
    INSERT INTO app_user (realm, name, state)
    SELECT ${realm}, u.name, u.state FROM unnest(${ops.map((o) => o.user)}::text[], ${ops.map((o) => o.state)}::text[]) AS u(name, state)
    ON CONFLICT (realm, name) DO UPDATE SET state = EXCLUDED.state`;
}

/** Orgs of one realm created in one statement; those that exist stay as they are. */
export async function persistOrgs(tx: Tx, realm: string, ops: OrgUpserted[]): Promise<void> {
  if (ops.length === 0) return;
  await tx.$executeRaw`
    INSERT INTO org (realm, name) SELECT ${realm}, unnest(${ops.map((o) => o.org)}::text[])
    ON CONFLICT (realm, name) DO NOTHING`;
}
