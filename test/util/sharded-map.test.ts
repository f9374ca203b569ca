// ShardedMap: the same answers as a Map through any sequence of versions, and old versions unchanged.
import { describe, expect, it } from 'vitest';
import { ShardedMap } from '../../src/util/sharded-map';

describe('ShardedMap', () => {
  it('answers as a Map does across random versions, and leaves earlier versions as they were', () => {
    let seed = 7;
    const rnd = (n: number) => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) % n);
    let ref = new Map<string, number>();
    let m = ShardedMap.of<number>();
    const kept: [ShardedMap<number>, Map<string, number>][] = [];
    for (let round = 0; round < 200; round++) {
      const changes: [string, number | undefined][] = [];
      for (let k = 0; k < 1 + rnd(30); k++) changes.push([`ns-${rnd(5)}/claim-${rnd(400)}`, rnd(4) === 0 ? undefined : rnd(1000)]);
      const next = new Map(ref);
      for (const [key, v] of changes) v === undefined ? next.delete(key) : next.set(key, v);
      m = m.with(changes);
      ref = next;
      expect(m.size).toBe(ref.size);
      if (round % 20 === 0) kept.push([m, ref]);
    }
    for (const [old, want] of kept) {
      expect(new Map(old)).toEqual(want);
      for (const k of want.keys()) expect(old.get(k)).toBe(want.get(k));
      expect([...old.keys()].sort()).toEqual([...want.keys()].sort());
    }
    expect(m.has('nope/none')).toBe(false);
  });

  it('is the same version when nothing changes, and shares the entries a change left alone', () => {
    const a = ShardedMap.of(Array.from({ length: 1000 }, (_, i) => [`ns/c-${i}`, i] as const));
    expect(a.with([['ns/c-5', 5], ['ns/absent', undefined]])).toBe(a);
    const b = a.with([['ns/c-5', 50]]);
    expect(b).not.toBe(a);
    expect([a.get('ns/c-5'), b.get('ns/c-5'), b.get('ns/c-6'), b.size]).toEqual([5, 50, 6, 1000]);
    const c = b.with([['ns/c-5', undefined], ['ns/new', 1]]);
    expect([c.has('ns/c-5'), c.get('ns/new'), c.size, b.size]).toEqual([false, 1, 1000, 1000]);
    const seen: string[] = [];
    c.forEach((_, k) => seen.push(k));
    expect(seen.length).toBe(1000);
  });
});
