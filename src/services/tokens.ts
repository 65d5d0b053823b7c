import crypto from 'node:crypto';
import { SCOPES, type Scope } from '../engine/scopes';
import { hashToken } from '../engine/tokenTable';
import { invalid, notFound } from '../errors';
import type { Database } from '../store/database';
import type { Writer } from '../store/writer';
import { requireRealm } from './guards';

/** The prefix that makes a realmgate token recognisable (in logs, in secret scanners). */
export const TOKEN_PREFIX = 'rgt_';

export interface TokenView {
  id: string;
  name: string;
  scopes: Scope[];
  createdAt: string;
  expiresAt: string | null;
}

export interface CreatedToken extends TokenView {
  /** the secret, shown this once; only its SHA-256 is stored */
  token: string;
}

export interface TokenInput {
  name: string;
  scopes: Scope[];
  expiresAt?: string | null;
}

/** Scopes in their order (check, read, write, admin), each once. */
function orderedScopes(scopes: readonly string[]): Scope[] {
  return SCOPES.filter((scope) => scopes.includes(scope));
}

/**
 * Creates a realm token: 32 random bytes, base64url, behind the `rgt_` prefix. The secret is
 * answered once and never stored; the change log carries its hash to every sidecar.
 */
export async function createToken(deps: { writer: Writer; now: () => number }, realm: string, input: TokenInput): Promise<CreatedToken> {
  const now = deps.now();
  const expiresAt = input.expiresAt === undefined || input.expiresAt === null ? null : Date.parse(input.expiresAt);
  if (expiresAt !== null && expiresAt <= now) throw invalid('expiresAt', 'must lie in the future');
  const token = TOKEN_PREFIX + crypto.randomBytes(32).toString('base64url');
  const view: TokenView = {
    id: crypto.randomUUID(),
    name: input.name,
    scopes: orderedScopes(input.scopes),
    createdAt: new Date(now).toISOString(),
    expiresAt: expiresAt === null ? null : new Date(expiresAt).toISOString(),
  };
  await deps.writer.write(async (tx) => {
    await requireRealm(tx, realm);
    return { changes: [[{ type: 'token.created', realm, ...view, hash: hashToken(token) }]], result: null };
  });
  return { ...view, token };
}

/** Revokes a token: from the answer on, this sidecar refuses it; every other one once it has the change. */
export async function revokeToken(deps: { writer: Writer }, realm: string, id: string): Promise<{ revision: number }> {
  const { revision } = await deps.writer.write(async (tx) => {
    if (!(await tx.apiToken.findFirst({ where: { id, realm }, select: { id: true } }))) throw notFound('token', id);
    return { changes: [[{ type: 'token.revoked', realm, id }]], result: null };
  });
  return { revision };
}

interface TokenRow {
  id: string;
  name: string;
  scopes: string[];
  createdAt: Date;
  expiresAt: Date | null;
}

const view = (row: TokenRow): TokenView => ({
  id: row.id,
  name: row.name,
  scopes: orderedScopes(row.scopes),
  createdAt: row.createdAt.toISOString(),
  expiresAt: row.expiresAt ? row.expiresAt.toISOString() : null,
});

const COLUMNS = { id: true, name: true, scopes: true, createdAt: true, expiresAt: true } as const;

/** A realm's tokens, oldest first, without their secrets (expired ones included, until revoked). */
export async function listTokens(deps: { db: Database }, realm: string): Promise<{ tokens: TokenView[] }> {
  await requireRealm(deps.db.prisma, realm);
  const rows = await deps.db.prisma.apiToken.findMany({ where: { realm }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }], select: COLUMNS });
  return { tokens: rows.map(view) };
}

export async function getToken(deps: { db: Database }, realm: string, id: string): Promise<TokenView> {
  const row = await deps.db.prisma.apiToken.findFirst({ where: { id, realm }, select: COLUMNS });
  if (!row) throw notFound('token', id);
  return view(row);
}
