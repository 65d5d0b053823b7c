import type { CannonRun, Comparison, HttpResult } from './http';
import { ms, pct, table, type Row } from './markdown';
import type { Results } from './results';
import { bytes, fixed, int } from './stats';

/** The HTTP section: single checks against bare express over TCP and a Unix socket, batches, the server process. */

const cannonCells = (c: CannonRun) => [int(c.reqPerSec), `${fixed(c.p50Ms, 2)} ms`, `${fixed(c.p99Ms, 2)} ms`];
const allRuns = (runs: CannonRun[]) => runs.map((c) => int(c.reqPerSec)).join(', ');
const errorsOf = (runs: CannonRun[]) => runs.reduce((n, c) => n + c.non2xx + c.errors, 0);

function comparisonRows(h: HttpResult, c: Comparison): Row {
  return [
    int(h.grants),
    ...cannonCells(c.bestBare),
    ...cannonCells(c.bestRealmgate),
    `**${pct(c.ratio)}**`,
    `${allRuns(c.bare)} / ${allRuns(c.realmgate)}`,
    int(errorsOf([...c.bare, ...c.realmgate])),
  ];
}

const comparisonHead = [
  'grants',
  'bare req/s',
  'bare p50',
  'bare p99',
  'realmgate req/s',
  'realmgate p50',
  'realmgate p99',
  'realmgate / bare',
  'every run bare / realmgate (req/s)',
  'non-2xx + errors',
];

export function httpSection(r: Results): string {
  if (!r.http.length) return '## HTTP\n\nNot run (BENCH_HTTP_SIZES empty, or no size of it among BENCH_SIZES).';
  const o = r.options.http;
  const socketRows = r.http.filter((h) => !('skipped' in h.socket));
  const skipped = r.http.find((h) => 'skipped' in h.socket)?.socket as { skipped: string } | undefined;
  return [
    '## HTTP',
    '',
    `The real server (\`node src/main.js\` as compiled with the bench into dist/bench-build, PostgreSQL through DATABASE_URL,`,
    `HOST=127.0.0.1, an admin token and a default realm) and a bare express app (express 5 + \`express.json()\`, one POST route answering \`{"allowed":true}\`, x-powered-by and`,
    `etag off as in realmgate) each in its own process; autocannon in the bench process, ${o.connections} keep-alive connections,`,
    `${o.durationS} s per run after a ${o.warmupS} s warm-up of each, bare and realmgate alternately twice, the better run of each`,
    'counting. Requests cycle through 500 different single-check bodies (the in-process query mix: hits, misses, unknowns).',
    'Latencies are each response\'s own time. The machine has two cores: the server gets one, autocannon the other.',
    '',
    '### Single check, POST /v1/check, TCP',
    '',
    table(comparisonHead, r.http.map((h) => comparisonRows(h, h.single))),
    '',
    '### Batch, POST /v1/check/batch',
    '',
    `${r.http[0].batch.checksPerRequest} checks per request (20 different bodies of the same mix), same connections and duration, two runs, the better counts.`,
    '',
    table(
      ['grants', 'requests/s', 'p50', 'p99', 'decisions/s', 'every run (decisions/s)', 'non-2xx + errors'],
      r.http.map((h) => [
        int(h.grants),
        ...cannonCells(h.batch.best),
        `**${int(h.batch.decisionsPerSec)}**`,
        h.batch.runs.map((c) => int(c.reqPerSec * h.batch.checksPerRequest)).join(', '),
        int(errorsOf(h.batch.runs)),
      ]),
    ),
    '',
    '### Single check over a Unix socket (REALMGATE_SOCKET)',
    '',
    socketRows.length
      ? table(comparisonHead, socketRows.map((h) => comparisonRows(h, h.socket as Comparison)))
      : `Skipped: ${skipped?.skipped ?? 'not run'}.`,
    '',
    '### The server process',
    '',
    table(
      ['grants', 'spawn to /readyz 200', 'RSS once ready (no forced gc)'],
      r.http.map((h) => [int(h.grants), ms(h.spawnToReadyMs), bytes(h.serverRss)]),
    ),
  ].join('\n');
}
