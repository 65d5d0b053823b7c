import { readContract } from './contract';
import { runFuzz, summary } from './fuzzRun';

/**
 * Property test over the whole HTTP contract: requests generated from openapi.yaml's schemas, valid
 * and mutated, sent to an in-process app on PGlite with responses validated against the contract.
 * `npm run fuzz -- --requests N [--seed S]` runs a longer one (FUZZ_REQUESTS, FUZZ_SEED).
 */
const REQUESTS = Number(process.env.FUZZ_REQUESTS ?? 5000);
const SEED = Number(process.env.FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31));

test(`${REQUESTS} generated requests over every route: no undocumented 5xx, JSON errors in the contract's shape, refused writes change nothing (seed ${SEED})`, async () => {
  const report = await runFuzz({ requests: REQUESTS, seed: SEED });
  console.log(summary(report));
  if (process.env.FUZZ_REPORT) console.log(JSON.stringify(report, null, 1));

  expect(report.sent).toBeGreaterThanOrEqual(REQUESTS);
  // every operation of the contract was asked, validly and with mutations
  for (const op of readContract().operations) {
    expect({ op: op.id, ...report.byOperation[op.id] }).toEqual(expect.objectContaining({ valid: expect.any(Number), mutated: expect.any(Number) }));
    if (REQUESTS >= 5000) {
      expect([op.id, report.byOperation[op.id].valid > 0, report.byOperation[op.id].mutated > 0]).toEqual([op.id, true, true]);
    }
  }
  // nothing was sent to a webhook receiver
  expect(report.deliveryAttempts).toBe(0);
}, 60_000 + REQUESTS * 60);
