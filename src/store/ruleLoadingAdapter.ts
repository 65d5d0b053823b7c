import type { Model } from 'casbin';
import { PrismaAdapter } from 'casbin-prisma-adapter';
import type { Tx } from './database';
import { Interner } from './interner';
import { adapterClient } from './transactionAdapter';

type RuleRow = { id: number; ptype: string; v0: string | null; v1: string | null; v2: string | null; v3: string | null; v4: string | null; v5: string | null };
type Pattern = unknown[];

const COLUMNS = { id: true, ptype: true, v0: true, v1: true, v2: true, v3: true, v4: true, v5: true } as const;
/** Rows are read a page at a time, so that a large policy never sits in memory twice over. */
export const LOAD_PAGE = 20_000;

/**
 * casbin-prisma-adapter, loading rules straight into the model. The package turns each row into a
 * CSV line and has Casbin parse it back with csv-parse, which took most of a cold start (some 60%
 * at a million grants); here the row's values go into the model as they are, which is what that
 * round trip yields for realmgate's rules (no commas, quotes or spaces in them). Filters mean what
 * they mean to the package: one pattern per rule, field by field, empty for any value.
 */
export class RuleLoadingAdapter extends PrismaAdapter {
  constructor(
    private readonly rules: Pick<Tx, 'casbinRule'>,
    private readonly intern: Interner = new Interner(),
    private readonly pageSize = LOAD_PAGE,
  ) {
    super(adapterClient(rules));
  }

  override async loadPolicy(model: Model): Promise<void> {
    await this.loadWhere(model, {});
  }

  override async loadFilteredPolicy(model: Model, filter: Record<string, Pattern[]>): Promise<void> {
    const where = Object.entries(filter).flatMap(([ptype, patterns]) =>
      patterns.map((pattern) => {
        const fields: Record<string, unknown> = { ptype };
        pattern.forEach((value, i) => {
          if (value) fields[`v${i}`] = value;
        });
        return fields;
      }),
    );
    await this.loadWhere(model, { OR: where });
    this.enableFiltered(true);
  }

  private async loadWhere(model: Model, where: object): Promise<void> {
    let after = 0;
    for (;;) {
      const rows = await this.rules.casbinRule.findMany({ select: COLUMNS, where: { AND: [where, { id: { gt: after } }] }, orderBy: { id: 'asc' }, take: this.pageSize });
      addRows(model, rows, this.intern);
      if (rows.length < this.pageSize) return;
      after = rows[rows.length - 1].id;
    }
  }
}

function addRows(model: Model, rows: RuleRow[], intern: Interner): void {
  for (const row of rows) {
    const assertion = model.model.get(row.ptype.charAt(0))?.get(row.ptype);
    if (!assertion) continue;
    const values: string[] = [];
    for (const v of [row.v0, row.v1, row.v2, row.v3, row.v4, row.v5]) if (v) values.push(intern.get(v));
    assertion.policy.push(values);
  }
}
