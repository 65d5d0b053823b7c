import { grantMatches, normalizeTags, TAG_PATTERN } from '../../src/engine/tags';
import { domainMatches } from '../../src/engine/domains';
import { shortTags } from '../support/generatePolicy';
import { oracleGrantMatches } from '../support/semanticsOracle';

describe('grantMatches (BRIEF rule 2)', () => {
  test.each([
    ['widget:12345', 'widget:*'],
    ['widget:0f7c1047-c517-47f6-a515-8fd83766e6b5', 'widget:*'],
    ['app_four.orders.read', 'app_four.*.*'],
    ['orders:rw', 'orders:r*'],
    ['controller.action', 'controller.*'],
    ['widget:*', 'widget:*'],
    ['a-b_c', '*'],
    ['orders:rw', 'orders:rw'],
  ])('%s is allowed by %s', (requested, granted) => {
    expect(grantMatches(requested, granted)).toBe(true);
  });

  test.each([
    ['widget:', 'widget:*'],
    ['widget:1:2', 'widget:*'],
    ['widget:1.2', 'widget:*'],
    ['widget:1;2', 'widget:*'],
    ['gadget:1', 'widget:*'],
    ['app_four.orders', 'app_four.*.*'],
    ['app_four.orders.read.all', 'app_four.*.*'],
    ['orders:r', 'orders:r*'],
    ['widget:*', 'widget:1'],
    ['orders:ro', 'orders:rw'],
    ['a:b', '*'],
    ['xwidget:1', 'widget:*'],
  ])('%s is not allowed by %s', (requested, granted) => {
    expect(grantMatches(requested, granted)).toBe(false);
  });

  test('grants with many wildcards are answered without exponential backtracking', () => {
    const grant = '*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*';
    expect(grant.length).toBeLessThanOrEqual(62);
    expect(grantMatches(`${'a'.repeat(61)}:`, grant)).toBe(false);
    expect(grantMatches('a'.repeat(61), grant)).toBe(true);
    expect(grantMatches('report-1-2-3-4', 'report-*-*-*-*')).toBe(true);
    expect(grantMatches(`report-${'1-'.repeat(25)}:`, 'report-*-*-*-*')).toBe(false);
  });

  test('a wildcard may stand for part of a segment, at either end or inside', () => {
    expect(grantMatches('abc', 'a*c')).toBe(true);
    expect(grantMatches('ac', 'a*c')).toBe(false);
    expect(grantMatches('xorders', '*orders')).toBe(true);
    expect(grantMatches('orders', '*orders')).toBe(false);
    expect(grantMatches('aXbYb', 'a*b')).toBe(true);
    expect(grantMatches('ab', '**')).toBe(true);
    expect(grantMatches('a', '**')).toBe(false);
  });

  test('a literal * in a request is matched by a grant wildcard like any other character', () => {
    expect(grantMatches('widget:a*b', 'widget:*')).toBe(true);
    expect(grantMatches('app.x*y.read', 'app.*.read')).toBe(true);
    expect(grantMatches('orders:rw*x', 'orders:r*')).toBe(true);
    expect(grantMatches('a*a', '*')).toBe(true);
    expect(grantMatches('*', 'a*')).toBe(false);
  });

  test('equals the semantics written out directly, on every short tag over a small alphabet', () => {
    const tags = shortTags();
    const mismatches: string[] = [];
    for (const granted of tags) {
      for (const requested of tags) {
        if (grantMatches(requested, granted) !== oracleGrantMatches(requested, granted)) {
          mismatches.push(`${requested} by ${granted}`);
        }
      }
    }
    expect(tags.length).toBe(780);
    expect(mismatches.slice(0, 10)).toEqual([]);
  });

  test('characters that mean something in a regular expression are literal in a grant', () => {
    expect(grantMatches('a.b', 'a.b')).toBe(true);
    expect(grantMatches('axb', 'a.b')).toBe(false);
    expect(grantMatches('a-b', 'a-*')).toBe(true);
  });
});

describe('tags (BRIEF rule 1)', () => {
  test('the pattern takes 1 to 62 of the allowed characters', () => {
    expect(TAG_PATTERN.test('a'.repeat(62))).toBe(true);
    expect(TAG_PATTERN.test('a'.repeat(63))).toBe(false);
    expect(TAG_PATTERN.test('')).toBe(false);
    expect(TAG_PATTERN.test('orders rw')).toBe(false);
    expect(TAG_PATTERN.test('orders/rw')).toBe(false);
    expect(TAG_PATTERN.test('Some_Feature:admin;x.y-z*')).toBe(true);
  });

  test('normalizing lower-cases and removes duplicates, keeping first order', () => {
    expect(normalizeTags(['B:1', 'a', 'b:1', 'A'])).toEqual(['b:1', 'a']);
  });
});

describe('domainMatches', () => {
  test('a role domain covers the realm and every org in it, and nothing else', () => {
    expect(domainMatches('acme', 'acme/*')).toBe(true);
    expect(domainMatches('acme/eng', 'acme/*')).toBe(true);
    expect(domainMatches('acme2/eng', 'acme/*')).toBe(false);
    expect(domainMatches('acm/eng', 'acme/*')).toBe(false);
  });

  test('a membership domain covers only itself', () => {
    expect(domainMatches('acme/eng', 'acme/eng')).toBe(true);
    expect(domainMatches('acme/eng', 'acme')).toBe(false);
    expect(domainMatches('acme', 'acme/eng')).toBe(false);
  });
});
