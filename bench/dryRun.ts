/**
 * `npm run bench:dry-run`: what a dry-run costs on a realm of 10,000 memberships, on PGlite and
 * PostgreSQL: a whole-realm sync of the same 10,000 with a few changes, and a role change that
 * affects every membership. Writes bench/dry-run-results.md.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PROJECT_ROOT } from '../src/projectRoot';
import { startRuntime } from '../src/runtime/startRuntime';
import { previewWrite } from '../src/services/previewWrite';
import { putRealm } from '../src/services/realms';
import { planPutRole, putRole } from '../src/services/roles';
import { planSync, syncMemberships } from '../src/services/syncMemberships';
import type { MembershipInput } from '../src/services/membershipInput';
import { benchConfig, databaseUrl, dropDatabase, postgresVersion, recreateDatabase, removeDir, scratchDir, type Backend } from './databases';

const SIZE = Number(process.env.DRY_RUN_SIZE ?? 10_000);
const ROUNDS = 7;
const REALM = 'dryrun';

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function memberships(changed: boolean): MembershipInput[] {
  const all = Array.from({ length: SIZE }, (_, i): MembershipInput => ({ user: `u${i}`, org: `o${i % 100}`, roles: ['member'], permissions: [`widget:${i}`] }));
  if (!changed) return all;
  // a few changes: five replaced, three removed, two added
  for (let i = 0; i < 5; i += 1) all[i] = { ...all[i], permissions: [`widget:${i}`, 'orders:*'] };
  all.splice(5, 3);
  all.push({ user: 'new-a', org: 'o1', roles: ['member'] }, { user: 'new-b', permissions: ['profile:rw'] });
  return all;
}

interface Row {
  backend: string;
  what: string;
  ms: number;
  granted: number;
  revoked: number;
}

async function measure(backend: Backend): Promise<Row[]> {
  const runtime = await startRuntime(benchConfig(backend), { onError: (err) => console.error('bench dry-run:', err) });
  const deps = runtime.deps;
  const rows: Row[] = [];
  try {
    await putRealm(deps, REALM);
    await putRole(deps, REALM, 'member', ['orders:read', 'orders:write', 'reports.*']);
    const t0 = performance.now();
    await syncMemberships(deps, REALM, {}, memberships(false));
    console.log(`${backend.kind}: ${SIZE} memberships written in ${(performance.now() - t0).toFixed(0)} ms`);
    const time = async (what: string, plan: () => Parameters<typeof previewWrite>[2] | Promise<Parameters<typeof previewWrite>[2]>) => {
      const ms: number[] = [];
      let last = { granted: 0, revoked: 0 };
      for (let r = 0; r < ROUNDS; r += 1) {
        const t = performance.now();
        const result = await previewWrite(deps, REALM, await plan());
        ms.push(performance.now() - t);
        last = { granted: result.effect.grantedCount, revoked: result.effect.revokedCount };
      }
      rows.push({ backend: backend.kind, what, ms: median(ms), ...last });
    };
    const changed = memberships(true);
    await time(`sync of ${SIZE} with 10 changes, dry-run`, () => planSync(deps, REALM, {}, changed));
    await time(`role change reaching all ${SIZE}, dry-run`, () => planPutRole(REALM, 'member', ['orders:read', 'reports.*', 'invoices:read']));
    const t1 = performance.now();
    await syncMemberships(deps, REALM, {}, changed);
    rows.push({ backend: backend.kind, what: `the same sync, written (once)`, ms: performance.now() - t1, granted: 0, revoked: 0 });
    const t2 = performance.now();
    await putRole(deps, REALM, 'member', ['orders:read', 'reports.*', 'invoices:read']);
    rows.push({ backend: backend.kind, what: `the same role change, written (once)`, ms: performance.now() - t2, granted: 0, revoked: 0 });
  } finally {
    await runtime.close();
  }
  return rows;
}

async function main(): Promise<void> {
  const rows: Row[] = [];
  const pgliteDir = scratchDir('dryrun-pglite');
  try {
    rows.push(...(await measure({ kind: 'pglite', dataDir: pgliteDir })));
  } finally {
    removeDir(pgliteDir);
  }
  if (await postgresVersion()) {
    const name = 'realmgate_bench_dryrun';
    await recreateDatabase(name);
    const dir = scratchDir('dryrun-pg');
    try {
      rows.push(...(await measure({ kind: 'postgres', databaseUrl: databaseUrl(name), dataDir: dir })));
    } finally {
      await dropDatabase(name);
      removeDir(dir);
    }
  }
  const lines = [
    '# Dry-run cost',
    '',
    `\`npm run bench:dry-run\`, ${new Date().toISOString().slice(0, 10)}: ${os.cpus().length} vCPU (${os.cpus()[0]?.model.trim()}), ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}.`,
    `A realm of ${SIZE} memberships in 100 orgs, each holding the role \`member\` and one direct tag. Median of ${ROUNDS} dry-runs each (whole request path below the HTTP layer: the plan in a rolled-back transaction, then the effect from memory).`,
    '',
    '| backend | what | ms | granted | revoked |',
    '| --- | --- | ---: | ---: | ---: |',
    ...rows.map((r) => `| ${r.backend} | ${r.what} | ${r.ms.toFixed(1)} | ${r.granted || ''} | ${r.revoked || ''} |`),
    '',
  ];
  fs.writeFileSync(path.join(PROJECT_ROOT, 'bench', 'dry-run-results.md'), lines.join('\n'));
  console.log(lines.join('\n'));
}

void main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
