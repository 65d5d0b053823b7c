import { GrantSet, Requested } from '../../src/engine/grantSet';
import { normalizeTags } from '../../src/engine/tags';
import { randomTag, shortTags } from '../support/generatePolicy';
import { Random } from '../support/random';
import { oracleGrantMatches } from '../support/semanticsOracle';

const find = (tags: string[], requested: string) => GrantSet.of(normalizeTags(tags)).find(new Requested(requested));

/** What a scan of the list in order would name: the literal grant if any, else the first wildcard. */
function scanned(tags: string[], requested: string): string | undefined {
  const matching = normalizeTags(tags).filter((t) => oracleGrantMatches(requested, t));
  return matching.find((t) => !t.includes('*')) ?? matching[0];
}

describe('GrantSet: compiled grants of one membership or role', () => {
  test('a literal tag is found by hashing, a wildcard by segment', () => {
    const tags = ['orders:rw', 'widget:*', 'app_four.*.*', 'orders:r*'];
    expect(find(tags, 'orders:rw')).toBe('orders:rw');
    expect(find(tags, 'widget:12345')).toBe('widget:*');
    expect(find(tags, 'app_four.orders.read')).toBe('app_four.*.*');
    expect(find(tags, 'orders:ro')).toBe('orders:r*');
    for (const denied of ['widget:', 'widget:1:2', 'gadget:1', 'app_four.orders', 'orders:w', 'orders']) {
      expect([denied, find(tags, denied)]).toEqual([denied, undefined]);
    }
  });

  test('a delimiter must be the same one: widget:* does not allow widget.1 or widget;1', () => {
    expect(find(['widget:*'], 'widget.1')).toBeUndefined();
    expect(find(['widget:*'], 'widget;1')).toBeUndefined();
    expect(find(['a.*:b'], 'a.x:b')).toBe('a.*:b');
    expect(find(['a.*:b'], 'a:x.b')).toBeUndefined();
  });

  test('the literal grant is named before a wildcard, and the first wildcard in list order before a later one', () => {
    expect(find(['orders:*', 'orders:rw'], 'orders:rw')).toBe('orders:rw');
    expect(find(['orders:*', 'orders:r*', '*:rw'], 'orders:rw')).toBe('orders:*');
    expect(find(['*:rw', 'orders:r*', 'orders:*'], 'orders:rw')).toBe('*:rw');
    expect(find(['o*:rw', 'orders:*'], 'orders:rw')).toBe('o*:rw');
  });

  test('a requested * is a literal character that only a wildcard or the very same literal can allow', () => {
    expect(find(['widget:*'], 'widget:*')).toBe('widget:*');
    expect(find(['widget:1'], 'widget:*')).toBeUndefined();
    expect(find(['widget:a*'], 'widget:*')).toBeUndefined();
  });

  test('a literal is matched whole: not as part of another tag, nor across two', () => {
    const tags = ['orders:rw', 'a', 'b', 'widget:12'];
    expect(find(tags, 'orders:r')).toBeUndefined();
    expect(find(tags, 'rders:rw')).toBeUndefined();
    expect(find(tags, 'widget:1')).toBeUndefined();
    expect(find(tags, 'a b')).toBeUndefined();
    expect(find(tags, 'b')).toBe('b');
    expect(find(tags, 'widget:12')).toBe('widget:12');
    // the same with more tags than are kept flat
    const many = [...tags, ...Array.from({ length: 20 }, (_, i) => `t${i}`)];
    expect(find(many, 'a b')).toBeUndefined();
    expect(find(many, 't1')).toBe('t1');
    expect(find(many, 't')).toBeUndefined();
  });

  test('an empty set allows nothing and is shared', () => {
    expect(GrantSet.of([])).toBe(GrantSet.EMPTY);
    expect(find([], 'anything')).toBeUndefined();
  });

  test('equals a scan of the list with the written-out semantics, on random sets and requests', () => {
    const rnd = new Random(5);
    const mismatches: string[] = [];
    let allowed = 0;
    for (let set = 0; set < 400; set += 1) {
      const tags = Array.from({ length: 1 + rnd.int(40) }, () => randomTag(rnd, true));
      const compiled = GrantSet.of(normalizeTags(tags));
      for (let q = 0; q < 100; q += 1) {
        const source = rnd.pick(tags).toLowerCase();
        const requested = rnd.chance(0.6)
          ? source.replace(/\*/g, () => rnd.pick(['x', 'rw', '12345', '*', '', 'a:b']))
          : randomTag(rnd, rnd.chance(0.3)).toLowerCase();
        if (requested === '') continue;
        const got = compiled.find(new Requested(requested));
        const want = scanned(tags, requested);
        if (got !== undefined) allowed += 1;
        if (got !== want) mismatches.push(`${requested} in [${tags.join(' ')}]: got ${got}, want ${want}`);
      }
    }
    expect(mismatches.slice(0, 10)).toEqual([]);
    expect(allowed).toBeGreaterThan(5_000);
  });

  test('equals the written-out semantics for every short grant and request over a small alphabet', () => {
    const tags = shortTags();
    const compiled = tags.map((t) => GrantSet.of([t]));
    const mismatches: string[] = [];
    for (const requested of tags) {
      const r = new Requested(requested);
      tags.forEach((granted, i) => {
        const got = compiled[i].find(r) !== undefined;
        if (got !== oracleGrantMatches(requested, granted)) mismatches.push(`${requested} by ${granted}`);
      });
    }
    expect(mismatches.slice(0, 10)).toEqual([]);
  });

  test('two thousand wildcard grants sharing a level are compiled once and still answer correctly', () => {
    const tags = Array.from({ length: 2000 }, (_, i) => `app.*${i}:read`);
    const compiled = GrantSet.of(tags);
    // '*9' matches 'x1999' too, and comes first in the list
    expect(compiled.find(new Requested('app.x1999:read'))).toBe('app.*9:read');
    expect(compiled.find(new Requested('app.1999:read'))).toBe('app.*9:read');
    expect(compiled.find(new Requested('app.x11:read'))).toBe('app.*1:read');
    expect(compiled.find(new Requested('app.1:read'))).toBeUndefined();
    expect(compiled.find(new Requested('app.x11:write'))).toBeUndefined();
  });
});
