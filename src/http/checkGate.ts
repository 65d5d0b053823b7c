import type { Request, RequestHandler, Response } from 'express';
import { scopeAllows } from '../engine/scopes';
import { forbidden, type Authenticator } from './bearerAuth';
import { ready, type Lifecycle } from './lifecycle';

/**
 * REALMGATE_CHECK_AUTH=token: a check needs the admin token or a realm token with the `check`
 * scope (or a wider one). Mounted ahead of both check paths (the fast one and the validator's),
 * so a missing or wrong token is a 401/403 before the body is looked at. It costs one SHA-256 and
 * one lookup in memory. A realm token's realm is left in res.locals for `confinedRealm`.
 */
export function checkGate(auth: Authenticator, lifecycle: Lifecycle): RequestHandler {
  const admit = checkAdmission(auth, lifecycle);
  return (req, res, next) => {
    admit(req, res);
    next();
  };
}

/** The gate's test alone: returns when the check may go on, throws the 401, 403 or 503 otherwise. */
export function checkAdmission(auth: Authenticator, lifecycle: Lifecycle): (req: Request, res: Response) => void {
  return (req, res) => {
    const principal = auth.authenticate(req.headers.authorization);
    if (principal === undefined) ready(lifecycle);
    else if (!principal.admin) {
      if (!scopeAllows(principal.token.rank, 'check')) throw forbidden("this token lacks the 'check' scope");
      res.locals.checkRealm = principal.token.realm;
    }
  };
}

/** The realm a check gate confined this request to, if a realm token made it. */
export function confinedRealm(res: Response): string | undefined {
  return res.locals?.checkRealm as string | undefined;
}
