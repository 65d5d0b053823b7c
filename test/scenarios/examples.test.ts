/**
 * Scenario runner for policies/examples/*.json (the format is described in
 * policies/examples/README.md). Each file gets its own harness, its own frozen clock and one
 * describe block; each step is one test, named by file and step index, run in order.
 */
import fs from 'node:fs';
import path from 'node:path';
import { startHarness, type Harness } from '../support/harness';

const EXAMPLES_DIR = path.join(__dirname, '..', '..', 'policies', 'examples');

type Method = 'put' | 'post' | 'delete' | 'get';
const METHODS: readonly Method[] = ['put', 'post', 'delete', 'get'];

interface RequestStep {
  kind: 'request';
  method: Method;
  url: string;
  body?: unknown;
  status?: number;
  field?: string;
  expect?: Record<string, unknown>;
  contains?: Record<string, unknown[]>;
}
interface CheckStep {
  kind: 'check';
  check: { realm: string; subject: string; org?: string | null; permission: string };
  expect: { allowed: boolean; reason: string; role?: string | null; grant?: string };
}
interface ClockStep {
  kind: 'clock';
  ms: number;
}
interface RestartStep {
  kind: 'restart';
}
type Step = (RequestStep | CheckStep | ClockStep | RestartStep) & { note?: string };

interface Scenario {
  description: string;
  /** the public document the scenario is drawn from */
  source: string;
  steps: Step[];
  /** the steps as written, for failure messages */
  rawSteps: unknown[];
}

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** "4h", "250ms", "3h59m59s999ms"; a plain number is milliseconds. */
function parseDuration(value: unknown): number {
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0) return value;
  if (typeof value !== 'string' || !/^(\d+(ms|s|m|h))+$/.test(value)) {
    throw new Error(`not a duration: ${JSON.stringify(value)} (use e.g. "4h", "1ms", "3h59m59s999ms")`);
  }
  let total = 0;
  for (const [, n, unit] of value.matchAll(/(\d+)(ms|s|m|h)/g)) total += Number(n) * UNITS[unit];
  return total;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function onlyKeys(obj: Record<string, unknown>, allowed: string[], what: string): void {
  const unknown = Object.keys(obj).filter((k) => !allowed.includes(k));
  if (unknown.length > 0) throw new Error(`${what}: unknown key(s) ${unknown.join(', ')} (allowed: ${allowed.join(', ')})`);
}

function parseRequest(raw: Record<string, unknown>, what: string): RequestStep {
  const methods = METHODS.filter((m) => m in raw);
  if (methods.length !== 1) throw new Error(`${what}: needs exactly one of ${METHODS.join(', ')}`);
  const method = methods[0];
  onlyKeys(raw, [method, 'body', 'status', 'field', 'expect', 'contains'], what);
  const url = raw[method];
  if (typeof url !== 'string' || !url.startsWith('/')) throw new Error(`${what}: ${method} needs a path starting with /`);
  if (raw.status !== undefined && typeof raw.status !== 'number') throw new Error(`${what}: status must be a number`);
  if (raw.field !== undefined && typeof raw.field !== 'string') throw new Error(`${what}: field must be a string`);
  if (raw.expect !== undefined && !isObject(raw.expect)) throw new Error(`${what}: expect must be an object`);
  if (raw.contains !== undefined) {
    if (!isObject(raw.contains) || !Object.values(raw.contains).every(Array.isArray)) {
      throw new Error(`${what}: contains must map response keys to lists of objects`);
    }
  }
  return {
    kind: 'request',
    method,
    url,
    body: raw.body,
    status: raw.status as number | undefined,
    field: raw.field as string | undefined,
    expect: raw.expect as Record<string, unknown> | undefined,
    contains: raw.contains as Record<string, unknown[]> | undefined,
  };
}

function parseStep(raw: unknown, what: string): Step {
  if (!isObject(raw)) throw new Error(`${what}: a step is an object`);
  const note = raw.note;
  if (note !== undefined && typeof note !== 'string') throw new Error(`${what}: note must be a string`);
  const { note: _note, ...rest } = raw;
  if ('check' in rest) {
    onlyKeys(rest, ['check', 'expect'], what);
    const check = rest.check;
    const expected = rest.expect;
    if (!isObject(check)) throw new Error(`${what}: check must be an object`);
    onlyKeys(check, ['realm', 'subject', 'org', 'permission'], `${what} check`);
    if (typeof check.realm !== 'string' || typeof check.subject !== 'string' || typeof check.permission !== 'string') {
      throw new Error(`${what}: check needs realm, subject and permission`);
    }
    if (!isObject(expected) || typeof expected.allowed !== 'boolean' || typeof expected.reason !== 'string') {
      throw new Error(`${what}: a check needs expect {allowed, reason}`);
    }
    onlyKeys(expected, ['allowed', 'reason', 'role', 'grant'], `${what} expect`);
    if (!expected.allowed && ('role' in expected || 'grant' in expected)) {
      throw new Error(`${what}: role and grant describe an allowed check only`);
    }
    return { kind: 'check', check: check as CheckStep['check'], expect: expected as CheckStep['expect'], note };
  }
  if ('advanceClock' in rest) {
    onlyKeys(rest, ['advanceClock'], what);
    return { kind: 'clock', ms: parseDuration(rest.advanceClock), note };
  }
  if ('restart' in rest) {
    onlyKeys(rest, ['restart'], what);
    if (rest.restart !== true) throw new Error(`${what}: restart must be true`);
    return { kind: 'restart', note };
  }
  if ('expectStatus' in rest) {
    onlyKeys(rest, ['expectStatus'], what);
    if (!isObject(rest.expectStatus)) throw new Error(`${what}: expectStatus must be an object`);
    const step = parseRequest(rest.expectStatus, `${what} expectStatus`);
    if (step.status === undefined) throw new Error(`${what}: expectStatus needs a status`);
    return { ...step, note };
  }
  return { ...parseRequest(rest, what), note };
}

function loadScenario(file: string): Scenario {
  const raw: unknown = JSON.parse(fs.readFileSync(path.join(EXAMPLES_DIR, file), 'utf8'));
  if (!isObject(raw)) throw new Error(`${file}: a scenario is an object`);
  onlyKeys(raw, ['description', 'source', 'steps'], file);
  if (typeof raw.description !== 'string' || raw.description.length === 0) throw new Error(`${file}: description is required`);
  if (typeof raw.source !== 'string' || raw.source.trim() === '') {
    throw new Error(`${file}: source must name the public document the scenario is drawn from`);
  }
  if (!Array.isArray(raw.steps) || raw.steps.length === 0) throw new Error(`${file}: steps must be a non-empty list`);
  const steps = raw.steps.map((s: unknown, i: number) => parseStep(s, `${file} step ${i}`));
  return { description: raw.description, source: raw.source, steps, rawSteps: raw.steps };
}

/**
 * Placeholders in request bodies: an `expiresAt` of "+4h" (or "-1s") becomes the scenario clock's
 * now plus (minus) that duration as an ISO string; `{"$tags": {"prefix": "p:", "count": 3}}`
 * becomes ["p:0", "p:1", "p:2"].
 */
function resolveBody(value: unknown, now: number, key?: string): unknown {
  if (key === 'expiresAt' && typeof value === 'string' && /^[+-]/.test(value)) {
    const ms = parseDuration(value.slice(1));
    return new Date(value.startsWith('+') ? now + ms : now - ms).toISOString();
  }
  if (Array.isArray(value)) return value.map((v) => resolveBody(v, now));
  if (isObject(value)) {
    if ('$tags' in value) {
      const spec = value.$tags;
      if (!isObject(spec) || typeof spec.prefix !== 'string' || typeof spec.count !== 'number') {
        throw new Error('$tags needs {prefix, count}');
      }
      return Array.from({ length: spec.count }, (_, i) => `${spec.prefix}${i}`);
    }
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolveBody(v, now, k)]));
  }
  return value;
}

function label(step: Step): string {
  switch (step.kind) {
    case 'request':
      return `${step.method.toUpperCase()} ${step.url}${step.status !== undefined ? ` -> ${step.status}` : ''}`;
    case 'check': {
      const { realm, subject, org, permission } = step.check;
      const where = org === undefined || org === null ? `${realm} (realm-level)` : `${realm}/${org}`;
      return `check ${subject} in ${where}: ${permission} -> ${step.expect.allowed ? 'allowed' : `denied ${step.expect.reason}`}`;
    }
    case 'clock':
      return `advance clock ${step.ms} ms`;
    case 'restart':
      return 'restart';
  }
}

async function runRequest(h: Harness, step: RequestStep): Promise<void> {
  const body = step.body === undefined ? undefined : resolveBody(step.body, h.clock.now());
  const res =
    step.method === 'get' || step.method === 'delete'
      ? await h.admin[step.method](step.url)
      : await h.admin[step.method](step.url, body);
  const context = `${step.method.toUpperCase()} ${step.url} answered ${res.status} ${JSON.stringify(res.body)}`;
  const statusOk = step.status !== undefined ? res.status === step.status : res.status >= 200 && res.status < 300;
  if (!statusOk) throw new Error(`expected status ${step.status ?? '2xx'}: ${context}`);
  if (step.field !== undefined && res.body?.error?.field !== step.field) {
    throw new Error(`expected error field ${JSON.stringify(step.field)}: ${context}`);
  }
  if (step.expect !== undefined) expect(res.body).toMatchObject(step.expect);
  for (const [key, items] of Object.entries(step.contains ?? {})) {
    expect(res.body[key]).toEqual(expect.arrayContaining(items.map(containing)));
  }
}

/** An object matcher that, like toMatchObject, names only the keys it cares about at every depth. */
function containing(item: unknown): unknown {
  if (item === null || typeof item !== 'object' || Array.isArray(item)) return item;
  return expect.objectContaining(Object.fromEntries(Object.entries(item).map(([k, v]) => [k, containing(v)])));
}

async function runCheck(h: Harness, step: CheckStep): Promise<void> {
  const res = await h.http().post('/v1/check').send(step.check);
  if (res.status !== 200) throw new Error(`expected status 200: POST /v1/check answered ${res.status} ${JSON.stringify(res.body)}`);
  const got = res.body as { allowed: boolean; reason: string; match?: { realm: string; user: string; org: string | null; role: string | null; grant: string } };
  const view: Record<string, unknown> = { allowed: got.allowed, reason: got.reason };
  if ('role' in step.expect) view.role = got.match?.role;
  if ('grant' in step.expect) view.grant = got.match?.grant;
  expect(view).toEqual(step.expect);
  if (got.allowed) {
    expect(got.match).toMatchObject({ realm: step.check.realm, user: step.check.subject, org: step.check.org ?? null });
  } else {
    expect(got.match).toBeUndefined();
  }
}

async function runStep(h: Harness, step: Step): Promise<void> {
  switch (step.kind) {
    case 'request':
      return runRequest(h, step);
    case 'check':
      return runCheck(h, step);
    case 'clock':
      h.clock.advance(step.ms);
      return;
    case 'restart':
      return h.restart();
  }
}

const files = fs
  .readdirSync(EXAMPLES_DIR)
  .filter((f) => f.endsWith('.json'))
  .sort();

test('policies/examples holds scenarios', () => {
  expect(files.length).toBeGreaterThan(0);
});

for (const file of files) {
  let scenario: Scenario;
  try {
    scenario = loadScenario(file);
  } catch (err) {
    test(`${file} is a valid scenario`, () => {
      throw err;
    });
    continue;
  }

  describe(`${file} (${scenario.source})`, () => {
    let h: Harness | undefined;
    let broken: string | undefined;

    beforeAll(async () => {
      h = await startHarness();
      // The scenario clock stands still between advanceClock steps, so expiry is exact to the ms.
      h.clock.freeze();
    });

    afterAll(async () => {
      await h?.close();
    });

    scenario.steps.forEach((step, index) => {
      const where = `${file} step ${index}`;
      test(`step ${index}: ${label(step)}${step.note ? ` (${step.note})` : ''}`, async () => {
        if (!h) throw new Error(`${where}: the harness did not start`);
        if (broken) throw new Error(`${where}: not run, ${broken} broke the harness`);
        try {
          await runStep(h, step);
        } catch (err) {
          if (step.kind === 'restart') broken = where;
          const e = err instanceof Error ? err : new Error(String(err));
          const header = `${where} ${JSON.stringify(scenario.rawSteps[index])}`;
          const wrapped = new Error(`${header}\n${e.message}`);
          wrapped.stack = `${header}\n${e.stack ?? e.message}`;
          throw wrapped;
        }
      });
    });
  });
}
