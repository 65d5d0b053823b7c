import fc, { type Arbitrary } from 'fast-check';
import { flatten, type Schema } from './contract';

/**
 * Values that some properties should mostly take, so that valid requests meet existing records
 * (users, orgs and roles that exist) and stay on this machine (webhook URLs): the property's name
 * picks the arbitrary, which is mixed with what its schema allows.
 */
export type Hints = Record<string, Arbitrary<unknown>>;

/** Bounds that keep generated documents small; the mutations send the large ones. */
const MAX_ITEMS = 4;

const FAR_FUTURE = fc
  .date({ min: new Date('2090-01-01T00:00:00Z'), max: new Date('2199-12-31T00:00:00Z'), noInvalidDate: true })
  .map((d) => d.toISOString());

function stringArbitrary(schema: Schema): Arbitrary<string> {
  if (schema.enum) return fc.constantFrom(...(schema.enum as string[]));
  if (schema.format === 'date-time') return FAR_FUTURE;
  if (schema.format === 'uuid') return fc.uuid();
  if (schema.pattern) {
    // stringMatching can go up to the pattern's own bounds; keep most strings short
    const matching = fc.stringMatching(new RegExp(schema.pattern));
    return fc.oneof({ arbitrary: matching.filter((s) => s.length <= 24), weight: 4 }, { arbitrary: matching, weight: 1 });
  }
  return fc.string({ minLength: Math.max(1, schema.minLength ?? 0), maxLength: Math.min(schema.maxLength ?? 40, 40) });
}

function integerArbitrary(schema: Schema): Arbitrary<number> {
  const min = schema.minimum ?? -1000;
  const max = schema.maximum ?? 1000;
  // mostly small numbers (the ones records hold), sometimes anywhere in range
  return fc.oneof({ arbitrary: fc.integer({ min, max: Math.min(max, min + 50) }), weight: 5 }, { arbitrary: fc.maxSafeInteger().map((n) => min + (Math.abs(n) % (max - min + 1))), weight: 1 });
}

/** A fast-check arbitrary of values valid for the schema (the subset openapi.yaml uses). */
export function arbitraryFor(raw: Schema, hints: Hints = {}, name?: string): Arbitrary<unknown> {
  const schema = flatten(raw);
  let arb: Arbitrary<unknown>;
  const hinted = name !== undefined ? hints[name] : undefined;
  if (hinted && schema.type !== 'array') {
    arb = hinted;
  } else if (schema.oneOf) {
    arb = fc.oneof(...schema.oneOf.map((s) => arbitraryFor(s, hints, name)));
  } else if (schema.type === 'string' || (schema.type === undefined && (schema.pattern || schema.format))) {
    arb = stringArbitrary(schema);
  } else if (schema.type === 'integer' || schema.type === 'number') {
    arb = integerArbitrary(schema);
  } else if (schema.type === 'boolean') {
    arb = schema.enum ? fc.constantFrom(...(schema.enum as boolean[])) : fc.boolean();
  } else if (schema.type === 'array') {
    const items = schema.items ? arbitraryFor(schema.items, hints, name === undefined ? undefined : `${name}[]`) : fc.constant(null);
    const options = { minLength: schema.minItems ?? 0, maxLength: Math.min(schema.maxItems ?? MAX_ITEMS, MAX_ITEMS) };
    arb = schema.uniqueItems ? fc.uniqueArray(items, { ...options, comparator: 'SameValueZero' }) : fc.array(items, options);
  } else if (schema.type === 'object' || schema.properties) {
    arb = objectArbitrary(schema, hints);
  } else {
    arb = fc.constant(null);
  }
  return schema.nullable ? fc.oneof({ arbitrary: arb, weight: 4 }, { arbitrary: fc.constant(null), weight: 1 }) : arb;
}

function objectArbitrary(schema: Schema, hints: Hints): Arbitrary<Record<string, unknown>> {
  const properties = schema.properties ?? {};
  const record = Object.fromEntries(Object.entries(properties).map(([key, s]) => [key, arbitraryFor(s, hints, key)]));
  const required = schema.required ?? [];
  const arb = fc.record(record, { requiredKeys: required.filter((k) => k in record) }) as Arbitrary<Record<string, unknown>>;
  const min = schema.minProperties ?? 0;
  return min > 0 ? arb.filter((o) => Object.keys(o).length >= min) : arb;
}
