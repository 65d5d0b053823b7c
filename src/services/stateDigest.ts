import crypto from 'node:crypto';
import type { PolicyState } from '../engine/policyState';
import { effectivePermissions } from '../engine/effectivePermissions';

export interface StateDigest {
  revision: number;
  realms: string[];
  memberships: number;
  digest: string;
}

/**
 * A hash of what this sidecar would decide: per realm its orgs, users and their states, and each
 * membership's expiry and effective grants (direct and through roles). Two sidecars serving the
 * same realms at the same revision report the same digest, or one of them is wrong.
 */
export function stateDigest(state: PolicyState): StateDigest {
  const lines: string[] = [];
  let memberships = 0;
  for (const [name, realm] of state.realms) {
    lines.push(`realm ${name}`);
    for (const org of realm.orgs) lines.push(`org ${name} ${org}`);
    for (const [user, userState] of realm.users) lines.push(`user ${name} ${user} ${userState}`);
    for (const m of realm.allMemberships()) {
      memberships += 1;
      const grants = effectivePermissions(realm, m).permissions.join(',');
      lines.push(`membership ${name} ${m.user} ${m.org ?? ''} ${m.expiresAt ?? ''} ${grants}`);
    }
  }
  lines.sort();
  const hash = crypto.createHash('sha256');
  for (const line of lines) hash.update(line).update('\n');
  return { revision: state.revision, realms: [...state.realms.keys()].sort(), memberships, digest: hash.digest('hex') };
}
