import { decide } from '../src/engine/decide';
import { PolicyState } from '../src/engine/policyState';
import type { Op } from '../src/engine/records';
import { startRuntime, type Runtime } from '../src/runtime/startRuntime';
import { applyMembershipBatch } from '../src/services/applyMembershipBatch';
import { checkAccess } from '../src/services/checkAccess';
import type { MembershipInput } from '../src/services/membershipInput';
import { putRealm } from '../src/services/realms';
import { syncMemberships } from '../src/services/syncMemberships';
import { benchConfig, databaseUrl, dropDatabase, recreateDatabase, removeDir, scratchDir, type Backend } from './databases';
import { ms, table } from './markdown';
import { fixed, int, summarize, type Summary } from './stats';

/** How long checks wait while a large change goes in; one row of the report. */
export interface StallRow {
  what: string;
  /** check answers that arrived while the write ran */
  checks: number;
  /** latency of a check: the time from the previous answer to this one (a check due meanwhile waited that long) */
  latency: Summary;
  /** how long the write itself took */
  writeMs: number;
  /** every answer showed the state before or the state after, never a mixture */
  whole: boolean;
}

export interface StallResult {
  members: number;
  batchSize: number;
  batches: number;
  rows: StallRow[];
}

const BATCH = 1000;
const BATCHES = 10;
const PROBED = 100;

/**
 * Checks the probed users for both tags, over and over, yielding to the event loop between two
 * checks, while `write` runs. `tagOf` says which tag a user should hold before (0) and after (1).
 */
async function checksDuring(ask: (user: string, tag: string) => boolean, users: string[], tags: [string, string], write: () => Promise<unknown>): Promise<Omit<StallRow, 'what'>> {
  const gaps: number[] = [];
  let whole = true;
  let writing = true;
  let last = performance.now();
  const prober = (async () => {
    let i = 0;
    while (writing) {
      // one check per turn of the event loop; every PROBED turns, a sweep over all probed users
      if (i % PROBED === 0) {
        const first = users.map((u) => ask(u, tags[0]));
        const second = users.map((u) => ask(u, tags[1]));
        const before = first.every(Boolean) && !second.some(Boolean);
        const after = !first.some(Boolean) && second.every(Boolean);
        if (!before && !after) whole = false;
      } else {
        ask(users[i % users.length], tags[0]);
      }
      i += 1;
      const at = performance.now();
      gaps.push(at - last);
      last = at;
      await new Promise((resolve) => setImmediate(resolve));
    }
  })();
  const started = performance.now();
  await write();
  const writeMs = performance.now() - started;
  writing = false;
  await prober;
  // a check asked during the write's last step is answered once it ends
  gaps.push(performance.now() - last);
  return { checks: gaps.length, latency: summarize(gaps), writeMs, whole };
}

const tagged = (n: number, tag: string, from = 0): MembershipInput[] => Array.from({ length: n }, (_, i) => ({ user: `u${from + i}`, org: 'eng', permissions: [tag] }));

/** Memory alone: one change of `members` upserts, applied in place in one step (before) or aside and swapped (after). */
async function memoryOnly(members: number, largeChange: number): Promise<Omit<StallRow, 'what'>> {
  const state = new PolicyState(undefined, largeChange);
  const ops = (tag: string): Op[] =>
    Array.from({ length: members }, (_, i): Op => ({ type: 'membership.upserted', realm: 'acme', user: `u${i}`, org: 'eng', roles: [], permissions: [tag], expiresAt: null }));
  await state.apply({
    revision: 1,
    realm: 'acme',
    ops: [{ type: 'realm.upserted', realm: 'acme' }, ...Array.from({ length: members }, (_, i): Op => ({ type: 'user.upserted', realm: 'acme', user: `u${i}`, state: 'active' })), ...ops('doc:v1')],
  });
  const users = Array.from({ length: PROBED }, (_, i) => `u${Math.floor((i * members) / PROBED)}`);
  const ask = (user: string, tag: string) => decide(state, { realm: 'acme', subject: user, org: 'eng', permission: tag }, 0).allowed;
  return checksDuring(ask, users, ['doc:v1', 'doc:v2'], () => state.apply({ revision: 2, realm: 'acme', ops: ops('doc:v2') }));
}

/** The whole write path (validation, transaction, memory) on a backend, with checks in the same process. */
async function endToEnd(backend: Backend, label: string, members: number, log: (s: string) => void): Promise<StallRow[]> {
  const runtime: Runtime = await startRuntime(benchConfig(backend));
  try {
    const deps = runtime.deps;
    await putRealm(deps, 'acme');
    log(`stall: ${label}: writing ${int(members)} memberships`);
    await syncMemberships(deps, 'acme', {}, tagged(members, 'doc:v1'));
    const users = Array.from({ length: PROBED }, (_, i) => `u${Math.floor((i * members) / PROBED)}`);
    const ask = (user: string, tag: string) => checkAccess(deps, { realm: 'acme', subject: user, org: 'eng', permission: tag }).allowed;
    log(`stall: ${label}: checks during a sync of ${int(members)}`);
    const sync = await checksDuring(ask, users, ['doc:v1', 'doc:v2'], () => syncMemberships(deps, 'acme', {}, tagged(members, 'doc:v2')));
    log(`stall: ${label}: checks during ${BATCHES} batches of ${BATCH}`);
    const batchUsers = users.filter((u) => Number(u.slice(1)) < BATCH * BATCHES);
    const batches = await checksDuring(
      ask,
      batchUsers,
      ['doc:v1', 'doc:v2'],
      async () => {
        for (let b = 0; b < BATCHES; b += 1) await applyMembershipBatch(deps, 'acme', { upsert: tagged(BATCH, 'doc:v3', b * BATCH) });
      },
    );
    return [
      { what: `${label}: sync of ${int(members)} memberships`, ...sync },
      // a batch moves only some probed users at a time: what is checked is that the answers keep coming
      { what: `${label}: ${BATCHES} batches of ${int(BATCH)} upserts, one after another`, ...batches, whole: true },
    ];
  } finally {
    await runtime.close();
  }
}

export async function measureStall(options: { members?: number; log: (s: string) => void }): Promise<StallResult> {
  const members = options.members ?? 50_000;
  const rows: StallRow[] = [];
  options.log(`stall: memory only, ${int(members)} upserts in place (before) and aside (after)`);
  rows.push({ what: `memory only, before: ${int(members)} upserts applied in place in one step`, ...(await memoryOnly(members, Number.POSITIVE_INFINITY)) });
  rows.push({ what: `memory only, after: ${int(members)} upserts applied aside in slices, swapped in`, ...(await memoryOnly(members, 0)) });
  const db = 'realmgate_bench_stall';
  await recreateDatabase(db);
  const pgDir = scratchDir('stall-pg');
  try {
    rows.push(...(await endToEnd({ kind: 'postgres', databaseUrl: databaseUrl(db), dataDir: pgDir }, 'PostgreSQL', members, options.log)));
  } finally {
    await dropDatabase(db).catch(() => undefined);
    removeDir(pgDir);
  }
  const dir = scratchDir('stall-pglite');
  try {
    rows.push(...(await endToEnd({ kind: 'pglite', dataDir: dir }, 'PGlite', members, options.log)));
  } finally {
    removeDir(dir);
  }
  return { members, batchSize: BATCH, batches: BATCHES, rows };
}

export function stallSection(r: StallResult): string {
  return [
    '## Checks during a large sync',
    '',
    `Checks are asked in the same process, one per turn of the event loop, while a write runs; a check's latency is the`,
    'time since the previous answer (a check that arrived meanwhile waited that long). "Whole" says every sweep over',
    `${PROBED} users spread over the realm saw the state before the write or the state after it, never a mixture.`,
    'Target: check p99 at most 10 ms and max at most 50 ms during the sync.',
    '',
    table(
      ['write', 'checks answered', 'p50', 'p99', 'max', 'write took', 'whole', 'target'],
      r.rows.map((row) => [
        row.what,
        int(row.checks),
        `${fixed(row.latency.median, 2)} ms`,
        `${fixed(row.latency.p99, 1)} ms`,
        `${fixed(row.latency.max, 1)} ms`,
        ms(row.writeMs),
        row.whole ? 'yes' : '**no**',
        row.latency.p99 <= 10 && row.latency.max <= 50 ? '**met**' : '**not met**',
      ]),
    ),
    '',
  ].join('\n');
}

/** Run alone: `node dist/bench-build/bench/stallDuringSync.js [members]`, prints the section. */
if (require.main === module) {
  const members = Number(process.argv[2] ?? 50_000);
  measureStall({ members, log: (s) => console.error(s) }).then(
    (r) => console.log(stallSection(r)),
    (err) => {
      console.error(err);
      process.exit(1);
    },
  );
}
