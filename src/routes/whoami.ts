import { Router } from 'express';
import { SCOPES } from '../engine/scopes';
import type { Authenticator } from '../http/bearerAuth';
import { ready, type Lifecycle } from '../http/lifecycle';
import { AppError } from '../errors';

/**
 * Who the bearer token acts as: the admin token (every scope in every realm) or a realm token
 * (its realm, and every scope its widest one includes). The security handler has already refused
 * a missing or unknown token.
 */
export function whoamiRoutes(lifecycle: Lifecycle, auth: Authenticator): Router {
  const router = Router();
  router.get('/v1/whoami', (req, res) => {
    ready(lifecycle);
    // undefined only for a realm token while loading, which ready() has just refused
    const principal = auth.authenticate(req.headers.authorization);
    if (principal === undefined) throw new AppError(503, 'not_ready', 'the policy is still loading; retry shortly');
    if (principal.admin) {
      res.json({ kind: 'admin', scopes: [...SCOPES] });
      return;
    }
    const { token } = principal;
    res.json({
      kind: 'realm',
      realm: token.realm,
      scopes: SCOPES.slice(0, token.rank + 1),
      tokenId: token.id,
      name: token.name,
      expiresAt: token.expiresAt === null ? null : new Date(token.expiresAt).toISOString(),
    });
  });
  return router;
}
