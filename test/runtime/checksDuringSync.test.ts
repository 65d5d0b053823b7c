import { checkAccessBatch, type CheckInput } from '../../src/services/checkAccess';
import { applyMembershipBatch } from '../../src/services/applyMembershipBatch';
import { syncMemberships } from '../../src/services/syncMemberships';
import type { MembershipInput } from '../../src/services/membershipInput';
import { startHarness, type Backend, type Harness } from '../support/harness';
import { describeWithPostgres } from '../support/postgres';

const MEMBERS = 20_000;
/** A check waiting longer than this is a stall; generous, so that a loaded machine cannot fail it. */
const STALL_MS = 250;

const everyone = (tag: string): MembershipInput[] => Array.from({ length: MEMBERS }, (_, i) => ({ user: `u${i}`, org: 'eng', permissions: [tag] }));

/** Users spread over the whole range, each asked for both tags, in one batch. */
const probes: CheckInput[] = Array.from({ length: 200 }, (_, i) => `u${i * (MEMBERS / 200)}`).flatMap((subject) => [
  { realm: 'acme', subject, org: 'eng', permission: 'doc:v1' },
  { realm: 'acme', subject, org: 'eng', permission: 'doc:v2' },
]);

/**
 * Asks the probe batch again and again, yielding to the event loop between batches, until `write`
 * settles. Returns which state each answer showed (the tag every probed user held, or 'torn'),
 * in order without repeats, and the longest wait between two answers.
 */
async function checkWhile(
  h: Harness,
  write: () => Promise<unknown>,
  asked: CheckInput[] = probes,
): Promise<{ seen: string[]; longestGapMs: number; rounds: number }> {
  const seen: string[] = [];
  let writing = true;
  let longestGapMs = 0;
  let rounds = 0;
  const observe = () => {
    const results = checkAccessBatch(h.runtime.deps, asked);
    const v1 = results.filter((_, i) => i % 2 === 0).map((r) => r.allowed);
    const v2 = results.filter((_, i) => i % 2 === 1).map((r) => r.allowed);
    // the batch probes users who hold v2 and are moved back to v1: each answer shows one tag only
    const state = v1.every(Boolean) && !v2.some(Boolean) ? 'v1' : !v1.some(Boolean) && v2.every(Boolean) ? 'v2' : 'torn';
    if (seen[seen.length - 1] !== state) seen.push(state);
  };
  const prober = (async () => {
    let last = performance.now();
    while (writing) {
      observe();
      const at = performance.now();
      longestGapMs = Math.max(longestGapMs, at - last);
      last = at;
      rounds += 1;
      await new Promise((resolve) => setImmediate(resolve));
    }
  })();
  try {
    await write();
  } finally {
    writing = false;
    await prober;
  }
  // and once the write is answered
  observe();
  return { seen, longestGapMs, rounds };
}

/**
 * Memory is brought forward in slices, but preparing a write of 20k memberships (parsing, Prisma's
 * queries over the whole list) still holds the sidecar's thread for seconds on both backends, and
 * on PGlite the database itself runs on this thread. So the gap is bounded only where `bounded` is
 * set (none yet); the all-or-nothing view and checks answered during the write are asserted always.
 * `npm run bench` measures the longest gap.
 */
function checksDuringLargeWrites(backend: Backend, bounded: boolean): void {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness({ backend });
    await h.admin.put('/v1/realms/acme').expect(201);
    await syncMemberships(h.runtime.deps, 'acme', {}, everyone('doc:v1'));
  }, 300_000);

  afterAll(async () => {
    await h.close();
  });

  test(`a sync of ${MEMBERS} memberships: checks are answered throughout, and see all of it or none of it`, async () => {
    const { seen, longestGapMs, rounds } = await checkWhile(h, () => syncMemberships(h.runtime.deps, 'acme', {}, everyone('doc:v2')));
    expect(seen).toEqual(['v1', 'v2']);
    expect(rounds).toBeGreaterThan(10);
    if (bounded) expect(longestGapMs).toBeLessThan(STALL_MS);
  }, 300_000);

  test('a batch of 1000 upserts: checks see all of it or none of it', async () => {
    const batchProbes = probes.filter((p) => Number(p.subject.slice(1)) < 1000);
    const upsert = Array.from({ length: 1000 }, (_, i) => ({ user: `u${i}`, org: 'eng', permissions: ['doc:v1'] }));
    const { seen, longestGapMs } = await checkWhile(h, () => applyMembershipBatch(h.runtime.deps, 'acme', { upsert }), batchProbes);
    expect(seen).toEqual(['v2', 'v1']);
    if (bounded) expect(longestGapMs).toBeLessThan(STALL_MS);
  }, 300_000);
}

describeWithPostgres('checks during a large write (PostgreSQL)', () => checksDuringLargeWrites('postgres', false));

describe('checks during a large write (PGlite)', () => checksDuringLargeWrites('pglite', false));
