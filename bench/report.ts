import { stallSection } from './stallDuringSync';
import { eventsSection } from './events';
import { bytes, duration, fixed, int, sizeLabel } from './stats';
import type { MachineFacts } from './machine';
import { ms, pct, ratio, table, type Row } from './markdown';
import { QUERY_MIX_TEXT, type QueryKind } from './queries';
import { extAuthzSection } from './reportExtAuthz';
import { clientOverheadSection } from './clientOverhead';
import { httpSection } from './reportHttp';
import { perGrant, probes, type Results } from './results';
import { targetsSection } from './targets';

/** bench/results.md from a run's results, section by section. */

function machineSection(m: MachineFacts): string {
  return [
    '## Machine',
    '',
    table(
      ['what', 'value'],
      [
        ['CPU', `${m.cpuModel}, ${m.cpus} logical CPUs`],
        ['memory', bytes(m.totalMemory)],
        ['Node', m.node],
        ['OS', m.os],
        ['PostgreSQL', m.postgres ?? 'not reachable'],
        ['date', m.date],
        ['code measured', m.code],
        ['packages', Object.entries(m.packages).map(([k, v]) => `${k} ${v}`).join(', ')],
      ],
    ),
  ].join('\n');
}

function workloadSection(r: Results): string {
  const rows = r.workloads.map((w) => {
    const s = w.shape;
    const pg = w.populate.find((p) => p.backend === 'postgres');
    const lite = w.populate.find((p) => p.backend === 'pglite');
    return [
      int(w.grants),
      s.realms,
      int(s.orgs),
      `${int(s.users)} (${int(s.disabledUsers)})`,
      `${s.roles} (${s.roleTags.min}-${s.roleTags.max} tags, ${pct(s.roleTags.wildcards / s.roleTags.total)} wildcards)`,
      `${int(s.memberships)} (${int(s.orgMemberships)} / ${int(s.realmMemberships)} / ${int(s.expiringMemberships)})`,
      s.rolesPerMembership.map(int).join(' / '),
      s.directPerMembership.map(int).join(' / '),
      `${int(s.directGrants)} / ${int(s.roleGrants)}`,
      pct(s.wildcardGrants / w.grants),
      `${int(s.casbinP)} / ${int(s.casbinG)}`,
      `${pg ? ms(pg.ms) : 'n/a'} / ${lite ? ms(lite.ms) : 'n/a'}`,
      `${pg ? `${fixed(pg.single.median, 1)} / ${fixed(pg.single.p99, 1)}` : 'n/a'} ; ${lite ? `${fixed(lite.single.median, 1)} / ${fixed(lite.single.p99, 1)}` : 'n/a'}`,
      `${pg ? ms(pg.syncMs) : 'n/a'} / ${lite ? ms(lite.syncMs) : 'n/a'}`,
      `${w.storage.postgres === null ? 'n/a' : bytes(w.storage.postgres)} / ${w.storage.pglite === null ? 'n/a' : bytes(w.storage.pglite)}`,
    ];
  });
  return [
    '## Workloads',
    '',
    'A **grant** is one tag a subject holds in a domain, directly or through a role: a membership with 2 direct tags and one',
    'role of 8 tags is 10 grants (tags are distinct within a membership\'s direct list and within a role). Each workload is built',
    'from a fixed seed (`bench/workload.ts`) and has exactly the number of grants in its name: the grant budget is split evenly',
    'over 2 to 5 realms (acme, globex, initech, umbrella, hooli). Each realm takes 8 to 12 roles from a catalogue of 12',
    '(viewer, editor, admin, billing, support, developer, auditor, ops, manager, guest, analyst, owner; 5 to 10 tags each,',
    'wildcards such as `orders:*`, `app.*.read`, `app.*.*`, `reports.*`) and has about one org per 25 users, users spread',
    'over them with a skew (a few big orgs, many small). Every user has an org membership, 35% a second one and 20% a realm-level',
    'one; 1% of a realm\'s users (at most 20) are disabled. A membership has 0-3 roles (15/45/28/12%) and 0-5 direct tags',
    '(25/20/20/15/10/10%) such as',
    '`widget:<id>`, `project:<n>:read`, `project:<n>:*`, `app_<k>.*.read`, `store:<n>;aisle:<m>`, `power_users`; 0.5% expire',
    'in the far future (2090s). The last membership of a realm is cut to fit its grant budget exactly.',
    '',
    'Every workload is written through the service layer, as the API does, into a fresh scratch PostgreSQL database and a fresh',
    'PGlite data folder: `startRuntime(config)`, then per realm `putRealm`, `putRole` per role, `putOrg` for its first 20 orgs,',
    '`putUser(..., "disabled")` for its disabled users (1%, at most 20 per realm), then one `syncMemberships` of the whole realm',
    'with all its memberships (creating the other orgs and the users). "write time" is all of it, start-up included; "single',
    'writes" are the putRealm/putRole/putOrg/putUser calls; "syncs" the syncMemberships calls together.',
    '',
    table(
      [
        'grants',
        'realms',
        'orgs',
        'users (disabled)',
        'roles',
        'memberships (org / realm-level / expiring)',
        'roles per membership 0/1/2/3',
        'direct tags per membership 0/1/2/3/4/5',
        'grants direct / via roles',
        'wildcard grants',
        'casbin_rule rows p / g',
        'write time PostgreSQL / PGlite',
        'single writes median / p99 (ms), PostgreSQL ; PGlite',
        'syncs PostgreSQL / PGlite',
        'database size PostgreSQL / PGlite folder',
      ],
      rows,
    ),
  ].join('\n');
}

function inProcessSection(r: Results): string {
  const withRuns = r.workloads.filter((w) => w.inProcess);
  const rows = withRuns.map((w) => {
    const p = w.inProcess!;
    return [
      int(w.grants),
      duration(p.decide.median),
      duration(p.decide.p99),
      duration(p.decide.mean),
      duration(p.loopMeanNs),
      duration(p.decide.max),
      pct(p.allowedShare),
      int(p.casbin.rules),
      `${int(p.casbin.samples)} in ${fixed(p.casbin.elapsedMs / 1000, 1)} s (${p.casbin.stoppedBy === 'budget' ? 'time budget' : 'sample cap'})`,
      duration(p.casbin.median),
      duration(p.casbin.p99),
      ratio(p.casbin.median / p.decide.median),
      ratio(p.casbin.p99 / p.decide.p99),
      int(p.disagreements),
    ];
  });
  const sample = withRuns[0]?.inProcess;
  const overhead = sample ? `${int(sample.timerOverheadNs)} ns` : 'n/a';
  const reasons = withRuns
    .map((w) => `${sizeLabel(w.grants)}: ${Object.entries(w.inProcess!.reasons).map(([k, v]) => `${k} ${pct(v / w.inProcess!.decide.samples)}`).join(', ')}`)
    .join('; ');
  return [
    '## In-process check latency',
    '',
    `Each workload is loaded by \`startRuntime(config)\` from PostgreSQL in a fresh child process; then \`decide(state, query, now)\``,
    `runs over ${int(r.options.queries)} queries twice untimed (JIT warm-up) and once timed, one \`process.hrtime.bigint()\``,
    `pair around each call (an empty pair costs about ${overhead}, included in every sample), then once more timed as a whole`,
    `(the mean without per-call clocks). The workload description itself is dropped before loading, so the heap holds the`,
    `runtime and the queries. Query mix: ${QUERY_MIX_TEXT}.`,
    `Decisions by reason: ${reasons}.`,
    '',
    `Plain Casbin: an enforcer from \`createEnforcer\` (src/engine/enforcer.ts: the same model.conf and matching functions)`,
    `loaded through casbin-prisma-adapter from the same database, \`await enforcer.enforce(user:<id>, <realm>[/<org>], tag)\``,
    `over the same queries in the same order, until ${fixed(r.options.casbinBudgetMs / 1000, 0)} s or ${int(r.options.casbinMaxSamples)} samples;`,
    'its cost grows with the number of rules, so the larger workloads get only a few samples (column "Casbin samples"): the',
    'p99 of a few hundred samples or fewer is rough. "disagree" counts queries where `decide` and `enforce` differ although they',
    'must agree (every query but those of disabled users or expired memberships, which Casbin does not know about).',
    '',
    table(
      [
        'grants',
        'decide median',
        'decide p99',
        'decide mean',
        'decide mean, pass timed whole',
        'decide max',
        'allowed',
        'casbin rules',
        'Casbin samples',
        'enforce median',
        'enforce p99',
        'median ratio enforce/decide',
        'p99 ratio',
        'disagree',
      ],
      rows,
    ),
    '',
    '`decide` by kind of query, median / p99:',
    '',
    table(
      ['query kind', ...withRuns.map((w) => `${sizeLabel(w.grants)} grants`)],
      KINDS.map((kind) => [
        kind,
        ...withRuns.map((w) => {
          const k = w.inProcess!.byKind?.[kind];
          return k ? `${duration(k.median)} / ${duration(k.p99)}` : 'n/a';
        }),
      ]),
    ),
  ].join('\n');
}

const KINDS: QueryKind[] = [
  'granted_tag',
  'ungranted_tag',
  'other_org',
  'realm_level_miss',
  'literal_wildcard',
  'unknown_user',
  'unknown_org',
  'unknown_realm',
];

function memorySection(r: Results): string {
  const rows: Row[] = [];
  for (const w of r.workloads) {
    for (const kind of ['postgres', 'pglite'] as const) {
      const m = perGrant(r, w, kind);
      if (!m) continue;
      rows.push([
        int(w.grants),
        kind === 'postgres' ? 'PostgreSQL' : 'PGlite',
        bytes(m.baseRss),
        bytes(m.rss),
        `**${int(m.rssPerGrant)}**`,
        bytes(m.baseHeap),
        bytes(m.heap),
        int(m.heapPerGrant),
      ]);
    }
  }
  return [
    '## Resident memory per grant',
    '',
    `A fresh \`node --expose-gc\` child process per workload and backend runs \`startRuntime(config)\`, then \`gc()\` four times`,
    `100 ms apart, then reads \`process.memoryUsage()\`. Per grant = (loaded - the same with an empty, migrated database) / grants;`,
    `the median of ${r.options.loadRuns} runs of each (every run is in the next section). With PGlite the embedded database (WebAssembly) lives in the same process,`,
    'so its RSS includes PostgreSQL\'s own buffers and catalogue; the PostgreSQL rows are the policy\'s own footprint. RSS',
    'moves by several MiB from run to run (and PGlite\'s WebAssembly memory by tens of MiB), so below 100k grants the RSS',
    'per grant is mostly noise; heapUsed per grant is steadier there.',
    '',
    table(['grants', 'backend', 'RSS empty', 'RSS loaded', 'RSS bytes per grant', 'heapUsed empty', 'heapUsed loaded', 'heap bytes per grant'], rows),
  ].join('\n');
}

function loadSection(r: Results): string {
  const rows: Row[] = [];
  const runs = (values: number[]) => values.map((v) => int(v)).join(', ');
  for (const [label, loads] of [['empty', r.baseline] as const, ...r.workloads.map((w) => [int(w.grants), w.loads] as const)]) {
    for (const kind of ['postgres', 'pglite'] as const) {
      const l = probes(loads, kind);
      if (!l.length) continue;
      rows.push([
        label,
        kind === 'postgres' ? 'PostgreSQL' : 'PGlite',
        runs(l.map((x) => x.startRuntimeMs)),
        runs(l.map((x) => x.processStartToReadyMs)),
      ]);
    }
  }
  return [
    '## Time to load to ready',
    '',
    'The same child processes as for memory: `startRuntime(config)` (open the database, check migrations, load every record,',
    'start the expiry timer) until it resolved, and from the process\'s own start (its performance time',
    'origin: node start-up and module loading included) until then. One number per run, in ms.',
    '',
    table(['grants', 'backend', 'startRuntime (ms)', 'process start to ready (ms)'], rows),
  ].join('\n');
}

function quietSection(r: Results): string {
  return [
    '## Machine load before each section',
    '',
    'Other work on this machine (two cores, shared with a development session) shows in every number. Before each measured',
    `section the bench waits up to ${r.options.quietWaitS} s for the CPUs to be at most 15% busy over one second. "busy" is the`,
    'last such second before the section began.',
    '',
    table(
      ['section', 'waited', 'CPUs busy', 'load average (1 min)'],
      r.quiet.map((q) => [q.section, `${fixed(q.waitedS, 0)} s`, pct(q.busy), fixed(q.loadavg1, 2)]),
    ),
  ].join('\n');
}

export function renderReport(r: Results): string {
  const minutes = fixed(r.elapsedS / 60, 1);
  const sizes = r.options.sizes.map(sizeLabel).join(', ');
  return [
    '# realmgate benchmark',
    '',
    `Written by \`npm run bench\` (bench/main.ts) in ${minutes} min, workloads ${sizes} grants` +
      `${r.options.httpSizes.length ? `, HTTP at ${r.options.httpSizes.map(sizeLabel).join(', ')}` : ''}.` +
      (r.complete ? '' : ' **Partial: the run was still going or stopped early; sections below hold what was measured.**'),
    '',
    machineSection(r.machine),
    '',
    targetsSection(r),
    '',
    workloadSection(r),
    '',
    inProcessSection(r),
    '',
    memorySection(r),
    '',
    loadSection(r),
    '',
    httpSection(r),
    '',
    extAuthzSection(r),
    '',
    ...(r.client ? [clientOverheadSection(r.client)] : []),
    ...(r.stall ? [stallSection(r.stall)] : []),
    quietSection(r),
    '',
    ...eventsSection(r.events),
    ...(r.problems.length ? ['## Problems', '', ...r.problems.map((p) => `- ${p}`), ''] : []),
  ].join('\n');
}
