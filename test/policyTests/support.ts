import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** A scratch folder of test files: name -> YAML text. */
export function writeTestFiles(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'realmgate-policy-tests-'));
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

/** A small realm with a role, a disabled user and an expiring membership, and one test of each kind. */
export const SHOP = `
realm: shop
now: 2026-03-01T12:00:00Z
roles:
  clerk: [orders:read, orders:*]
users:
  zed: disabled
memberships:
  - { user: ann, org: north, roles: [clerk], permissions: [till:open] }
  - { user: ann, permissions: [profile:rw] }
  - { user: bo, org: north, permissions: [till:open], expiresAt: 2026-03-01T13:00:00Z }
  - { user: zed, org: north, roles: [clerk] }
tests:
  - name: a role's literal grant comes before its wildcard
    check: { subject: ann, org: north, permission: orders:read }
    expect: { allowed: true, reason: granted, role: clerk, grant: orders:read }
  - name: a direct grant
    check: { subject: ann, org: north, permission: till:open }
    expect: { allowed: true, role: null, grant: till:open }
  - name: realm-level is separate
    check: { subject: ann, permission: till:open }
    expect: { allowed: false, reason: no_grant }
  - name: disabled
    check: { subject: zed, org: north, permission: orders:read }
    expect: { allowed: false, reason: user_disabled }
  - name: before expiry
    check: { subject: bo, org: north, permission: till:open }
    expect: { allowed: true, grant: till:open }
`;

export const SHOP_EXPIRY_TESTS = `
  - name: one millisecond before expiry
    now: 2026-03-01T12:59:59.999Z
    check: { subject: bo, org: north, permission: till:open }
    expect: { allowed: true }
  - name: at expiry
    now: 2026-03-01T13:00:00Z
    check: { subject: bo, org: north, permission: till:open }
    expect: { allowed: false, reason: expired }
`;
