// filterByPosition must give exactly items.filter(test) whatever the store did between two lists
// (updates in place, deletions closing the gap, additions at the end), while testing only the
// records it has not seen and reusing the last output when nothing kept changed.
import { describe, expect, it } from 'vitest';
import { filterByPosition, reuseByPosition, type Filtered } from '../../src/store/list-diff';
import { rng } from '../helpers/rng';

interface Rec {
  readonly name: string;
  readonly keep: boolean;
}

const rec = (name: string, keep: boolean): Rec => ({ name, keep });


/** A store-like edit: records updated in place (some changing side), deleted, appended. */
function edit(before: readonly Rec[], rand: (n: number) => number, round: number): { after: Rec[]; deleted: boolean } {
  let after = before.map((r) => (rand(6) === 0 ? rec(r.name, rand(4) === 0 ? !r.keep : r.keep) : r));
  const deleted = rand(3) === 0;
  if (deleted) after = after.filter(() => rand(8) !== 0);
  for (let k = rand(3) === 0 ? rand(3) : 0; k > 0; k--) after.push(rec(`n${round}-${k}`, rand(2) === 0));
  return { after, deleted };
}

describe('filterByPosition', () => {
  it('equals items.filter(test) over random store-like edits, testing only records it has not seen', () => {
    const rand = rng(11);
    let items: Rec[] = Array.from({ length: 40 }, (_, i) => rec(`p${i}`, rand(3) !== 0));
    let tested: Rec[] = [];
    const test = (r: Rec) => (tested.push(r), r.keep);
    let f: Filtered<Rec> = filterByPosition(undefined, items, test);
    expect(f.out).toEqual(items.filter((r) => r.keep));
    for (let round = 0; round < 500; round++) {
      const { after: next, deleted } = edit(items, rand, round);
      tested = [];
      const g = filterByPosition(f, next, test);
      expect(g.out).toEqual(next.filter((r) => r.keep));
      next.forEach((r, j) => expect(g.at[j]).toBe(r.keep ? g.out.indexOf(r) : -1));
      // Every record tested is new since the last list (a record may be tested twice: on the
      // quick path, again when that path gives up), deletions (a few in a row) included.
      for (const r of tested) expect(items, deleted ? 'after deletions' : 'after updates').not.toContain(r);
      items = next;
      f = g;
    }
  });

  it('hands back the same output when only records it leaves out changed', () => {
    const items = [rec('a', true), rec('b', false), rec('c', true)];
    const f = filterByPosition(undefined, items, (r) => r.keep);
    const next = [items[0], rec('b', false), items[2]];
    const g = filterByPosition(f, next, (r) => r.keep);
    expect(g.out).toBe(f.out);
  });

  it('puts an updated record in its place without touching the last output', () => {
    const items = [rec('a', true), rec('b', false), rec('c', true)];
    const f = filterByPosition(undefined, items, (r) => r.keep);
    const before = [...f.out];
    const c2 = rec('c', true);
    const g = filterByPosition(f, [items[0], items[1], c2], (r) => r.keep);
    expect(g.out).toEqual([items[0], c2]);
    expect(g.out[1]).toBe(c2);
    expect(f.out).toEqual(before);
  });

  it('follows a record that changed side', () => {
    const items = [rec('a', true), rec('b', false), rec('c', true)];
    const f = filterByPosition(undefined, items, (r) => r.keep);
    const g = filterByPosition(f, [items[0], rec('b', true), items[2]], (r) => r.keep);
    expect(g.out.map((r) => r.name)).toEqual(['a', 'b', 'c']);
    expect([...g.at]).toEqual([0, 1, 2]);
  });
});

describe('reuseByPosition', () => {
  it('gives every record its own value, computing only those of records it has not seen', () => {
    const rand = rng(5);
    let items: Rec[] = Array.from({ length: 40 }, (_, i) => rec(`p${i}`, rand(3) !== 0));
    let computed: Rec[] = [];
    const value = (r: Rec) => (computed.push(r), `${r.name}:${r.keep}`);
    let values = reuseByPosition(undefined, items, value);
    for (let round = 0; round < 500; round++) {
      const { after: next } = edit(items, rand, round);
      computed = [];
      const got = reuseByPosition({ items, values }, next, value);
      expect(got).toEqual(next.map((r) => `${r.name}:${r.keep}`));
      for (const r of computed) expect(items).not.toContain(r);
      items = next;
      values = got;
    }
  });
});
