import { call, write } from './calls.js';
import type { Context } from './context.js';
import type { CallOptions } from './options.js';
import type { CreatedToken, Token, TokenRequest } from './types.js';

/**
 * A realm's tokens (needs the admin token or a realm token with `admin`). A token's secret is in
 * the answer to `create` only; realmgate keeps its hash.
 */
export class RealmTokens {
  constructor(
    private readonly ctx: Context,
    readonly realm: string,
  ) {}

  private get path() {
    return { realm: this.realm };
  }

  /** A new token with these scopes; keep `token` from the answer, it is not shown again. Never sent twice blindly. */
  create(request: TokenRequest, options?: CallOptions): Promise<CreatedToken> {
    return call(this.ctx, false, options, (signal) => this.ctx.http.api.POST('/v1/realms/{realm}/tokens', { params: { path: this.path }, body: request, signal }));
  }

  /** The realm's tokens, oldest first, without their secrets. */
  async list(options?: CallOptions): Promise<Token[]> {
    const { tokens } = await call(this.ctx, true, options, (signal) => this.ctx.http.api.GET('/v1/realms/{realm}/tokens', { params: { path: this.path }, signal }));
    return tokens;
  }

  get(id: string, options?: CallOptions): Promise<Token> {
    return call(this.ctx, true, options, (signal) => this.ctx.http.api.GET('/v1/realms/{realm}/tokens/{id}', { params: { path: { ...this.path, id } }, signal }));
  }

  /** Revokes a token: refused at once by this sidecar, and by the fleet once it reaches the revision answered. */
  revoke(id: string, options?: CallOptions): Promise<{ revision: number }> {
    return write(this.ctx, true, options, (signal) => this.ctx.http.api.DELETE('/v1/realms/{realm}/tokens/{id}', { params: { path: { ...this.path, id } }, signal }));
  }
}
