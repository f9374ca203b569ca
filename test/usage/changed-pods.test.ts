// Which claims the usage snapshot looks at again after pod changes: every claim of a pod that was
// updated, added or deleted between two store lists, found by comparing references.
import { describe, expect, it } from 'vitest';
import { claimsOfChangedPods } from '../../src/store/usage/poller';
import type { PodRec } from '../../src/store/records';
import { rng } from '../helpers/rng';

const pod = (name: string, ...claims: string[]) => ({ namespace: 'ns', name, volumes: claims.map((c) => ({ name: c, claim: c })) }) as unknown as PodRec;
const changed = (before: readonly PodRec[], after: readonly PodRec[]) => {
  const out = new Set<string>();
  claimsOfChangedPods(before, after, out);
  return [...out].sort();
};

describe('claimsOfChangedPods', () => {
  const [a, b, c, d] = [pod('a', 'ca'), pod('b', 'cb'), pod('c', 'cc', 'shared'), pod('d')];
  it.each([
    ['nothing changed', [a, b, c], [a, b, c], []],
    ['one updated in place', [a, b, c], [a, pod('b', 'cb2'), c], ['ns/cb', 'ns/cb2']],
    ['one appended', [a, b], [a, b, c], ['ns/cc', 'ns/shared']],
    ['the first deleted', [a, b, c], [b, c], ['ns/ca']],
    ['one in the middle deleted', [a, b, c], [a, c], ['ns/cb']],
    ['the last deleted', [a, b, c], [a, b], ['ns/cc', 'ns/shared']],
    ['two in a row deleted', [a, b, c, d], [a, d], ['ns/cb', 'ns/cc', 'ns/shared']],
    ['everything replaced', [a, b], [c, d], ['ns/ca', 'ns/cb', 'ns/cc', 'ns/shared']],
    ['a pod without claims', [a, d], [a], []],
  ] as const)('%s', (_, before, after, want) => {
    expect(changed(before, after)).toEqual(want);
  });

  it('never misses a changed pod, whatever the mix (random store-like edits)', () => {
    const rand = rng(7);
    for (let round = 0; round < 300; round++) {
      const before = Array.from({ length: 1 + rand(30) }, (_, i) => pod(`p${round}-${i}`, `c${round}-${i}`));
      // As the store does: updates keep their place, deletes close the gap, adds go at the end.
      let after = before.map((p) => (rand(5) === 0 ? pod(p.name, `${p.volumes[0].claim}-new`) : p));
      after = after.filter(() => rand(6) !== 0);
      for (let k = rand(3); k > 0; k--) after.push(pod(`n${round}-${k}`, `new${round}-${k}`));
      const differs = [...before.filter((p) => !after.includes(p)), ...after.filter((p) => !before.includes(p))];
      const got = new Set(changed(before, after));
      for (const p of differs) for (const v of p.volumes) expect(got.has(`ns/${v.claim}`)).toBe(true);
    }
  });
});
