import crypto from 'node:crypto';
import type { Request } from 'express';

/**
 * The security handler for openapi.yaml's bearerAuth scheme: which routes need it is declared in
 * the contract. A missing token is a 401 (the validator says so before calling this); a wrong one
 * is a 403.
 */
export function bearerAuthHandler(adminToken: string) {
  const expected = crypto.createHash('sha256').update(adminToken).digest();
  return (req: Request): true => {
    const header = req.headers.authorization ?? '';
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!match) throw { status: 401, message: 'Authorization: Bearer <token> required' };
    const given = crypto.createHash('sha256').update(match[1]).digest();
    if (!crypto.timingSafeEqual(given, expected)) throw { status: 403, message: 'bearer token not accepted' };
    return true;
  };
}
