import fs from 'node:fs';
import Ajv, { type ErrorObject } from 'ajv';
import addFormats from 'ajv-formats';
import { parseDocument } from 'yaml';

/** A policy test file (`*.test.yaml`): fixtures for one or more realms, a fixed `now`, and checks with their expected answers. */
export interface PolicyTestFile {
  description?: string;
  /** RFC 3339: the instant every check is decided at, unless a test names its own */
  now: string;
  /** the single-realm form: this realm's fixtures sit at the top level */
  realm?: string;
  roles?: Record<string, string[]>;
  users?: Record<string, 'active' | 'disabled'>;
  orgs?: string[];
  memberships?: MembershipFixture[];
  /** the several-realm form */
  realms?: Record<string, RealmFixtures>;
  tests: PolicyTest[];
}

export interface RealmFixtures {
  roles?: Record<string, string[]>;
  users?: Record<string, 'active' | 'disabled'>;
  orgs?: string[];
  memberships?: MembershipFixture[];
}

export interface MembershipFixture {
  user: string;
  org?: string | null;
  roles?: string[];
  permissions?: string[];
  expiresAt?: string | null;
}

export interface PolicyTest {
  name: string;
  /** decide this test at another instant than the file's `now` (offline only) */
  now?: string;
  check: { realm?: string; subject: string; org?: string | null; permission: string };
  expect: { allowed: boolean; reason?: string; grant?: string; role?: string | null };
}

export const REASONS = ['granted', 'unknown_realm', 'unknown_user', 'user_disabled', 'unknown_org', 'no_membership', 'expired', 'no_grant'];

/** A file that cannot be run: names the file, where in it (`tests[2].expect.allowed`) and the rule broken. */
export class PolicyFileError extends Error {
  constructor(
    readonly file: string,
    readonly at: string,
    readonly rule: string,
  ) {
    super(`${file}: ${at ? `${at}: ` : ''}${rule}`);
    this.name = 'PolicyFileError';
  }
}

const strings = { type: 'array', items: { type: 'string' } };
const fixtureProperties = {
  roles: { type: 'object', additionalProperties: strings },
  users: { type: 'object', additionalProperties: { enum: ['active', 'disabled'] } },
  orgs: strings,
  memberships: {
    type: 'array',
    items: {
      type: 'object',
      additionalProperties: false,
      required: ['user'],
      properties: {
        user: { type: 'string' },
        org: { type: ['string', 'null'] },
        roles: strings,
        permissions: strings,
        expiresAt: { type: ['string', 'null'], format: 'date-time' },
      },
    },
  },
};

/** The shape of a test file, as JSON Schema; meaning (names, tags, roles that exist) is checked after. */
export const POLICY_TEST_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['now', 'tests'],
  properties: {
    description: { type: 'string' },
    now: { type: 'string', format: 'date-time' },
    realm: { type: 'string' },
    ...fixtureProperties,
    realms: {
      type: 'object',
      minProperties: 1,
      additionalProperties: { type: 'object', additionalProperties: false, properties: fixtureProperties },
    },
    tests: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['name', 'check', 'expect'],
        properties: {
          name: { type: 'string', minLength: 1 },
          now: { type: 'string', format: 'date-time' },
          check: {
            type: 'object',
            additionalProperties: false,
            required: ['subject', 'permission'],
            properties: {
              realm: { type: 'string' },
              subject: { type: 'string' },
              org: { type: ['string', 'null'] },
              permission: { type: 'string' },
            },
          },
          expect: {
            type: 'object',
            additionalProperties: false,
            required: ['allowed'],
            properties: {
              allowed: { type: 'boolean' },
              reason: { enum: REASONS },
              grant: { type: 'string' },
              role: { type: ['string', 'null'] },
            },
          },
        },
      },
    },
  },
} as const;

const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true });
addFormats(ajv, ['date-time']);
const validateShape = ajv.compile(POLICY_TEST_SCHEMA);

/** "/tests/2/expect/allowed" -> "tests[2].expect.allowed" */
export function fieldPath(pointer: string): string {
  return pointer
    .split('/')
    .slice(1)
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce((acc, p) => (/^\d+$/.test(p) ? `${acc}[${p}]` : acc ? `${acc}.${p}` : p), '');
}

function describeSchemaError(e: ErrorObject): { at: string; rule: string } {
  const at = fieldPath(e.instancePath);
  if (e.keyword === 'additionalProperties') {
    const extra = (e.params as { additionalProperty: string }).additionalProperty;
    return { at: at ? `${at}.${extra}` : extra, rule: 'is not a known key' };
  }
  if (e.keyword === 'required') return { at, rule: `must have '${(e.params as { missingProperty: string }).missingProperty}'` };
  if (e.keyword === 'enum') return { at, rule: `must be one of ${(e.params as { allowedValues: unknown[] }).allowedValues.map((v) => JSON.stringify(v)).join(', ')}` };
  return { at, rule: e.message ?? 'is invalid' };
}

/** Parses and checks the shape of a test file's text; throws PolicyFileError naming the file, the path and the rule. */
export function parseTestFile(file: string, text: string): PolicyTestFile {
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const err = doc.errors[0];
    const where = err.linePos?.[0] ? `line ${err.linePos[0].line}, column ${err.linePos[0].col}` : '';
    throw new PolicyFileError(file, where, `not valid YAML: ${err.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '')}`);
  }
  const data: unknown = doc.toJS();
  if (!validateShape(data)) {
    const errors = validateShape.errors ?? [];
    // a misspelt key explains the missing one it was meant to be: name it first
    const { at, rule } = describeSchemaError(errors.find((e) => e.keyword === 'additionalProperties') ?? errors[0]);
    throw new PolicyFileError(file, at, rule);
  }
  const parsed = data as unknown as PolicyTestFile;
  const topLevel = ['roles', 'users', 'orgs', 'memberships'].filter((k) => k in parsed);
  if (parsed.realms !== undefined && (parsed.realm !== undefined || topLevel.length > 0)) {
    throw new PolicyFileError(file, 'realms', `cannot be combined with realm or top-level ${topLevel.join(', ') || 'fixtures'}: use one form`);
  }
  if (parsed.realms === undefined && parsed.realm === undefined) {
    throw new PolicyFileError(file, '', "must name its realm ('realm') or hold several ('realms')");
  }
  const names = new Map<string, number>();
  parsed.tests.forEach((t, i) => {
    if (names.has(t.name)) throw new PolicyFileError(file, `tests[${i}].name`, `repeats the name of tests[${names.get(t.name)}]`);
    names.set(t.name, i);
    if (!t.expect.allowed && ('grant' in t.expect || 'role' in t.expect)) {
      throw new PolicyFileError(file, `tests[${i}].expect`, 'grant and role describe an allowed check only');
    }
    if (t.expect.allowed && t.expect.reason !== undefined && t.expect.reason !== 'granted') {
      throw new PolicyFileError(file, `tests[${i}].expect.reason`, "must be 'granted' when allowed is true");
    }
  });
  return parsed;
}

export function loadTestFile(file: string): PolicyTestFile {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new PolicyFileError(file, '', `cannot be read: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  return parseTestFile(file, text);
}
