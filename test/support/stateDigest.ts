import type { PolicyState } from '../../src/engine/policyState';
import type { PrismaClient } from '../../src/generated/prisma/client';
import { rulesForMembership, rulesForRole } from '../../src/engine/rules';

/** Everything a policy state holds, as sorted text. */
export async function describeState(state: PolicyState): Promise<{ records: string[] }> {
  const records: string[] = [];
  for (const [name, realm] of state.realms) {
    records.push(`realm ${name}`);
    for (const org of realm.orgs) records.push(`org ${name}/${org}`);
    for (const [user, s] of realm.users) records.push(`user ${name}/${user} ${s}`);
    for (const [role, perms] of realm.roles) records.push(`role ${name}/${role} ${perms.join(' ')}`);
    for (const m of realm.allMemberships()) {
      records.push(`membership ${name}/${m.user}@${m.org ?? ''} r=${m.roles.join(',')} p=${m.permissions.join(',')} x=${m.expiresAt} rev=${m.revision}`);
    }
  }
  return { records: records.sort() };
}

/** The casbin_rule table, and the rules that the record tables say it should hold. */
export async function storedAndDerivedRules(prisma: PrismaClient): Promise<{ stored: string[]; derived: string[] }> {
  const stored = (await prisma.casbinRule.findMany()).map((r) => [r.ptype, r.v0, r.v1, r.v2].join(' '));
  const derived: string[] = [];
  for (const r of await prisma.role.findMany()) {
    for (const rule of rulesForRole({ realm: r.realm, name: r.name, permissions: r.permissions })) derived.push(`p ${rule.join(' ')}`);
  }
  for (const m of await prisma.membership.findMany()) {
    const rules = rulesForMembership({
      realm: m.realm,
      user: m.user,
      org: m.org === '' ? null : m.org,
      roles: m.roles,
      permissions: m.permissions,
      expiresAt: null,
      revision: 0,
    });
    for (const rule of rules.p) derived.push(`p ${rule.join(' ')}`);
    for (const rule of rules.g) derived.push(`g ${rule.join(' ')}`);
  }
  return { stored: stored.sort(), derived: derived.sort() };
}
