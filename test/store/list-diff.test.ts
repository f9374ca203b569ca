// filterByPosition must give exactly items.filter(test) whatever the store did between two lists
// (updates in place, deletions closing the gap, additions at the end), while testing only the
// records it has not seen and reusing the last output when nothing kept changed.
import { describe, expect, it } from 'vitest';
import { filterByPosition, type Filtered } from '../../src/store/list-diff';

interface Rec {
  readonly name: string;
  readonly keep: boolean;
}

const rec = (name: string, keep: boolean): Rec => ({ name, keep });

function rng(seed: number) {
  return (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
}

/** A store-like edit: records updated in place (some changing side), deleted, appended. */
function edit(before: readonly Rec[], rand: (n: number) => number, round: number): Rec[] {
  let after = before.map((r) => (rand(6) === 0 ? rec(r.name, rand(4) === 0 ? !r.keep : r.keep) : r));
  if (rand(3) === 0) after = after.filter(() => rand(8) !== 0);
  for (let k = rand(3) === 0 ? rand(3) : 0; k > 0; k--) after.push(rec(`n${round}-${k}`, rand(2) === 0));
  return after;
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
      const next = edit(items, rand, round);
      tested = [];
      const g = filterByPosition(f, next, test);
      expect(g.out).toEqual(next.filter((r) => r.keep));
      next.forEach((r, j) => expect(g.at[j]).toBe(r.keep ? g.out.indexOf(r) : -1));
      // Every record tested is new since the last list (a record may be tested twice: once
      // on the quick path, again when that path gives up).
      for (const r of tested) expect(items).not.toContain(r);
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
