import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/**
 * Management is never left open. Without REALMGATE_ADMIN_TOKEN, realmgate keeps a random token in
 * <data dir>/admin-token (created once, readable by its owner only) and says where it is.
 */
export function localAdminToken(dataDir: string): { token: string; file: string; created: boolean } {
  const file = path.join(dataDir, 'admin-token');
  if (fs.existsSync(file)) {
    const token = fs.readFileSync(file, 'utf8').trim();
    if (token.length >= 16) return { token, file, created: false };
  }
  fs.mkdirSync(dataDir, { recursive: true });
  const token = crypto.randomBytes(32).toString('base64url');
  fs.writeFileSync(file, `${token}\n`, { mode: 0o600 });
  return { token, file, created: true };
}
