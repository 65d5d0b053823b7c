import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import request from 'supertest';
import { createApp } from '../../src/app';
import { DECISION_LOG_BUFFER_BYTES, DecisionLog, type DecisionLogMode } from '../../src/http/decisionLog';
import { startHarness, TEST_TOKEN, type Harness } from '../support/harness';

let h: Harness;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'realmgate-decisions-'));

beforeAll(async () => {
  h = await startHarness({ defaultRealm: 'dl' });
  await h.admin.put('/v1/realms/dl').expect(201);
  await h.admin.put('/v1/realms/dl/users/ann/memberships/acme', { permissions: ['docs:read'] }).expect(201);
}, 120_000);
afterAll(async () => {
  await h.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** An app on the same runtime whose decision log is in the given mode, writing to a file of its own. */
function appWith(mode: DecisionLogMode | 'off', sample = 1) {
  const file = path.join(dir, `${mode}-${sample}.ndjson`);
  const log = mode === 'off' ? undefined : new DecisionLog(mode, sample, pino.destination({ dest: file, sync: true, mkdir: true }));
  const app = createApp({ lifecycle: { deps: h.runtime.deps }, adminToken: TEST_TOKEN, maxBodyBytes: 1 << 20, validateResponses: true, decisionLog: log });
  const entries = () => {
    log?.close();
    return fs.existsSync(file) ? fs.readFileSync(file, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l)) : [];
  };
  return { app, entries };
}

const allowed = { subject: 'ann', org: 'acme', permission: 'docs:read' };
const denied = { subject: 'ann', org: 'acme', permission: 'docs:write' };

describe('decision log', () => {
  test('off: answers carry no decisionId and nothing is written', async () => {
    const { app, entries } = appWith('off');
    const res = await request(app).post('/v1/check').send(allowed).expect(200);
    expect(res.body.decisionId).toBeUndefined();
    expect(entries()).toEqual([]);
  });

  test('denied: every answer has a decisionId; only denials are logged, with every field', async () => {
    const { app, entries } = appWith('denied');
    const yes = await request(app).post('/v1/check').send(allowed).expect(200);
    const no = await request(app).post('/v1/check').set('X-Request-Id', 'req-42').send(denied).expect(200);
    expect(yes.body.decisionId).toMatch(/^[0-9a-f-]{36}$/);
    expect(no.body.decisionId).toMatch(/^[0-9a-f-]{36}$/);
    const logged = entries();
    expect(logged).toHaveLength(1);
    expect(logged[0]).toEqual({
      level: 'info',
      time: expect.any(String),
      decisionId: no.body.decisionId,
      realm: 'dl',
      subject: 'ann',
      org: 'acme',
      permission: 'docs:write',
      allowed: false,
      reason: 'no_grant',
      revision: no.body.revision,
      requestId: 'req-42',
      latency: expect.any(Number),
    });
    expect(Number.isNaN(Date.parse(logged[0].time))).toBe(false);
  });

  test('all: allowed decisions too, with the grant that matched; batches log each check', async () => {
    const { app, entries } = appWith('all');
    const one = await request(app).post('/v1/check').send(allowed).expect(200);
    const batch = await request(app).post('/v1/check/batch').send({ checks: [allowed, denied] }).expect(200);
    const logged = entries();
    expect(logged.map((e) => e.decisionId)).toEqual([one.body.decisionId, ...batch.body.results.map((r: { decisionId: string }) => r.decisionId)]);
    expect(logged[0]).toMatchObject({ allowed: true, reason: 'granted', match: { role: null, grant: 'docs:read' }, requestId: null });
    expect(logged.map((e) => e.allowed)).toEqual([true, true, false]);
  });

  test('all with a sample of 0 logs the denials only', async () => {
    const { app, entries } = appWith('all', 0);
    for (let i = 0; i < 5; i += 1) await request(app).post('/v1/check').send(allowed).expect(200);
    await request(app).post('/v1/check').send(denied).expect(200);
    expect(entries().map((e) => e.allowed)).toEqual([false]);
  });

  test('the sample applies to allowed decisions', () => {
    let n = 0;
    const draws = [0.1, 0.6, 0.3, 0.9];
    const log = new DecisionLog('all', 0.5, pino.destination({ dest: path.join(dir, 'sample.ndjson'), sync: true, mkdir: true }), () => draws[n++]);
    expect([log.wants(true), log.wants(true), log.wants(true), log.wants(true), log.wants(false)]).toEqual([true, false, true, false, true]);
    log.close();
  });
});

describe('decision log memory', () => {
  test('what waits to be written is bounded: past the bound entries are dropped, not held', async () => {
    const file = path.join(dir, 'bounded.ndjson');
    const log = DecisionLog.open({ decisionLog: 'all', decisionLogSample: 1, decisionLogFile: file })!;
    const entry = { decisionId: 'x', realm: 'dl', subject: 'ann', org: 'acme', permission: 'docs:read', allowed: true, reason: 'granted', revision: 1, latencyMs: 0.01, pad: 'p'.repeat(400) };
    // written in one go, before the file is even open: nothing is taken meanwhile
    let offered = 0;
    while (offered < DECISION_LOG_BUFFER_BYTES + 4 * 1024 * 1024) {
      log.write(entry as never);
      offered += 500;
    }
    const destination = (log as unknown as { destination: NodeJS.EventEmitter & { fd: number } }).destination;
    if (destination.fd < 0) await new Promise((resolve) => destination.once('ready', resolve));
    log.close();
    const size = fs.statSync(file).size;
    expect(size).toBeGreaterThan(DECISION_LOG_BUFFER_BYTES / 2);
    expect(size).toBeLessThanOrEqual(DECISION_LOG_BUFFER_BYTES);
  });
});
