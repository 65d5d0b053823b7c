import crypto from 'node:crypto';
import type { Request } from 'express';
import { isScope, scopeAllows, type Scope } from '../engine/scopes';
import type { TokenRecord, TokenTable } from '../engine/tokenTable';
import { AppError } from '../errors';
import type { Lifecycle } from './lifecycle';

/** Who a request acts as: the admin token (everything, every realm) or a realm token. */
export type Principal = { readonly admin: true } | { readonly admin: false; readonly token: TokenRecord };

const ADMIN: Principal = { admin: true };

export const unauthorized = (message: string): AppError => new AppError(401, 'unauthorized', message);
export const forbidden = (message: string): AppError => new AppError(403, 'forbidden', message);

/**
 * Tells the admin token and realm tokens apart, from memory only: one SHA-256 of the secret, a
 * constant-time comparison with the admin token's, and one lookup in the token table (keyed by the
 * same hash, so comparing with a stored secret never happens). A missing, unknown or expired token
 * is a 401.
 */
export class Authenticator {
  private readonly adminHash: Buffer;
  /** Authorization headers already verified, while the token table is unchanged: a check pays one lookup */
  private readonly verified = new Map<string, Principal>();
  private verifiedFor: { table: TokenTable; version: number } | undefined;

  constructor(
    adminToken: string,
    private readonly lifecycle: Lifecycle,
  ) {
    this.adminHash = crypto.createHash('sha256').update(adminToken).digest();
  }

  /** undefined for a realm token while the policy (and the token table with it) is still loading. */
  authenticate(header: string | undefined): Principal | undefined {
    const deps = this.lifecycle.deps;
    if (header !== undefined && deps !== undefined) {
      const table = deps.state.tokens;
      const seen = this.verifiedFor;
      if (seen === undefined || seen.table !== table || seen.version !== table.version) {
        // a token was created, revoked or reloaded: nothing verified before counts any more
        this.verified.clear();
        this.verifiedFor = { table, version: table.version };
      }
      const known = this.verified.get(header);
      if (known !== undefined) return known.admin || !expired(known.token, deps.now()) ? known : this.verify(header);
    }
    return this.verify(header);
  }

  private verify(header: string | undefined): Principal | undefined {
    const match = header === undefined ? null : /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header);
    if (!match) throw unauthorized('Authorization: Bearer <token> required');
    const hash = crypto.createHash('sha256').update(match[1]).digest();
    const deps = this.lifecycle.deps;
    if (crypto.timingSafeEqual(hash, this.adminHash)) return this.remember(header as string, ADMIN, deps !== undefined);
    if (!deps) return undefined;
    const token = deps.state.tokens.findByHash(hash.toString('hex'));
    if (!token) throw unauthorized('bearer token not recognised');
    if (expired(token, deps.now())) throw unauthorized('bearer token has expired');
    return this.remember(header as string, { admin: false, token }, true);
  }

  private remember(header: string, principal: Principal, cache: boolean): Principal {
    if (!cache) return principal;
    if (this.verified.size >= VERIFIED_KEPT) this.verified.clear();
    this.verified.set(header, principal);
    return principal;
  }
}

const VERIFIED_KEPT = 1024;

function expired(token: TokenRecord, now: number): boolean {
  return token.expiresAt !== null && token.expiresAt <= now;
}

/** Whether a principal may act with this scope in this realm (undefined: a route of no realm); throws a 403 if not. */
export function authorize(principal: Principal, needed: Scope, realm: string | undefined): void {
  if (principal.admin) return;
  const { token } = principal;
  if (realm === undefined) throw forbidden('only the admin token may use this route');
  if (realm !== token.realm) throw forbidden(`this token belongs to realm '${token.realm}', not '${realm}'`);
  if (!scopeAllows(token.rank, needed)) throw forbidden(`this token lacks the '${needed}' scope`);
}

interface OpenApiRequest extends Request {
  openapi?: { pathParams?: Record<string, string> };
}

/**
 * The security handlers for openapi.yaml, which declares per operation what it takes:
 * `bearerAuth: [<scope>]` (the admin token, or a realm token of the path's realm with that scope)
 * or `adminToken: []` (the admin token only: routes of no realm, creating and deleting realms),
 * or `anyToken: []` (any token that authenticates, whatever its realm and scope: GET /v1/whoami).
 */
export function securityHandlers(auth: Authenticator) {
  const principalOf = (req: Request): Principal | undefined => auth.authenticate(req.headers.authorization);
  return {
    bearerAuth: (req: Request, scopes: string[]): true => {
      const principal = principalOf(req);
      // while loading, a realm token cannot be verified yet, and every realm route answers 503 not_ready itself
      if (principal === undefined) return true;
      const needed = scopes.find(isScope) ?? 'admin';
      authorize(principal, needed, (req as OpenApiRequest).openapi?.pathParams?.realm);
      return true;
    },
    adminToken: (req: Request): true => {
      const principal = principalOf(req);
      if (principal === undefined || !principal.admin) throw forbidden('only the admin token may use this route');
      return true;
    },
    anyToken: (req: Request): true => {
      principalOf(req);
      return true;
    },
  };
}
