import { PrismaAdapter } from 'casbin-prisma-adapter';
import type { PrismaClient } from '../generated/prisma/client';
import type { Tx } from './database';

/**
 * casbin-prisma-adapter bound to one Prisma transaction, so rules are written in the same
 * transaction as the records they are derived from. Its own addPolicies issues one INSERT per rule
 * outside any transaction; here the same rows go in as one createMany inside ours.
 */
export class TransactionAdapter extends PrismaAdapter {
  constructor(private readonly tx: Tx) {
    super(adapterClient(tx));
  }

  override async addPolicies(_sec: string, ptype: string, rules: string[][]): Promise<void> {
    if (rules.length === 0) return;
    await this.tx.casbinRule.createMany({
      data: rules.map((r) => ({ ptype, v0: r[0], v1: r[1], v2: r[2], v3: r[3], v4: r[4], v5: r[5] })),
    });
  }
}

/**
 * What casbin-prisma-adapter needs of a client: its casbinRule model, and a $connect so that it
 * takes the object as a ready client (a transaction client has none).
 */
export function adapterClient(tx: Pick<Tx, 'casbinRule'>): PrismaClient {
  return { casbinRule: tx.casbinRule, $connect: async () => undefined, $disconnect: async () => undefined } as unknown as PrismaClient;
}
