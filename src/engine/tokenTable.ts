import crypto from 'node:crypto';
import type { Op } from './records';
import { scopeRank, type Scope } from './scopes';

/** A realm token as held in memory: never the secret, only its hash (the key of the table). */
export interface TokenRecord {
  id: string;
  realm: string;
  name: string;
  scopes: Scope[];
  /** the widest scope held, see scopes.ts */
  rank: number;
  createdAt: string;
  /** epoch milliseconds, or null when it never expires */
  expiresAt: number | null;
}

export interface StoredToken {
  id: string;
  realm: string;
  name: string;
  scopes: string[];
  hash: string;
  createdAt: string;
  expiresAt: string | null;
}

/**
 * SHA-256 of a token, hex. A realm token carries 256 random bits, so no dictionary or brute force
 * can reach it from its hash, and a slow password hash would only add its cost to every request.
 */
export function hashToken(token: string): string {
  return crypto.createHash('sha256').update(token).digest('hex');
}

/**
 * Every realm's tokens, by hash, so a request is verified from memory: one SHA-256 and one lookup.
 * It changes only with committed changes (token.created, token.revoked, realm.deleted), in
 * revision order, like the rest of the sidecar's memory; so a revocation reaches every sidecar of
 * a fleet the way any write does, lost notifications included.
 */
export class TokenTable {
  private readonly byHash = new Map<string, TokenRecord>();
  private readonly hashById = new Map<string, string>();
  private changes = 0;

  static from(tokens: readonly StoredToken[]): TokenTable {
    const table = new TokenTable();
    for (const token of tokens) table.add(token);
    return table;
  }

  /** moves on whenever a token is added or removed: what a cache of verified tokens checks */
  get version(): number {
    return this.changes;
  }

  get size(): number {
    return this.byHash.size;
  }

  /** The token a bearer secret stands for, expired or not; undefined when there is none. */
  find(secret: string): TokenRecord | undefined {
    return this.byHash.get(hashToken(secret));
  }

  /** As find, with the secret's SHA-256 (hex) already computed. */
  findByHash(hash: string): TokenRecord | undefined {
    return this.byHash.get(hash);
  }

  apply(op: Op): void {
    if (op.type === 'token.created') this.add(op);
    else if (op.type === 'token.revoked') this.remove(op.id);
    else if (op.type === 'realm.deleted') {
      for (const token of [...this.byHash.values()]) if (token.realm === op.realm) this.remove(token.id);
    }
  }

  private add(token: StoredToken): void {
    this.remove(token.id);
    this.changes += 1;
    this.byHash.set(token.hash, {
      id: token.id,
      realm: token.realm,
      name: token.name,
      scopes: token.scopes as Scope[],
      rank: scopeRank(token.scopes),
      createdAt: token.createdAt,
      expiresAt: token.expiresAt === null ? null : Date.parse(token.expiresAt),
    });
    this.hashById.set(token.id, token.hash);
  }

  private remove(id: string): void {
    const hash = this.hashById.get(id);
    if (hash === undefined) return;
    this.changes += 1;
    this.hashById.delete(id);
    this.byHash.delete(hash);
  }
}
