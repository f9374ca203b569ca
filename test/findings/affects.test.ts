// A finding's affects: each object once, by namespace then name, whatever the checks gave. Long
// lists (a driver missing under 50k pods) are handed back from the last judgement while they name
// the same objects, and worked out again as soon as one differs.
import { describe, expect, it } from 'vitest';
import { finding } from '../../src/store/verdicts/context';
import type { ObjRef } from '../../src/store/topology/refs';
import { rng } from '../helpers/rng';

const pod = (namespace: string, name: string, extra = 0): ObjRef & { extra: number } => ({ kind: 'Pod', namespace, name, extra });
const names = (refs: readonly ObjRef[]) => refs.map((r) => `${r.namespace}/${r.name}`);
const judge = (affects: readonly ObjRef[]) => finding('DriverNotInstalled', 'error', { kind: 'CSIDriver', namespace: '', name: 'x.csi.io' }, { message: 'm', affects });

describe('finding affects', () => {
  it('lists each object once, by namespace and name, and only refs (not the records)', () => {
    const f = judge([pod('b', 'p2'), pod('a', 'p9'), pod('b', 'p1'), pod('a', 'p9'), { kind: 'Node', namespace: '', name: 'n1' }]);
    expect(names(f.affects)).toEqual(['/n1', 'a/p9', 'b/p1', 'b/p2']);
    expect(f.affects.every((r) => Object.keys(r).sort().join() === 'kind,name,namespace')).toBe(true);
  });

  it.each([100, 2000])('gives the same answer for %i objects on every judgement, the same list while they stay the same', (n) => {
    const rand = rng(n);
    let input = Array.from({ length: n }, (_, i) => pod(`ns-${rand(20)}`, `p-${i}`));
    let last = judge(input).affects;
    for (let round = 0; round < 30; round++) {
      const what = rand(4);
      // Records replaced by new versions (same objects), or an object gone, added, or renamed.
      if (what === 0) input = input.map((p) => (rand(5) === 0 ? pod(p.namespace, p.name, round) : p));
      else if (what === 1) input = input.filter((_, i) => i !== rand(input.length));
      else if (what === 2) input = [...input, pod(`ns-${rand(20)}`, `new-${round}`)];
      else input = input.map((p, i) => (i === 3 ? pod(p.namespace, `${p.name}-b`) : p));
      const got = judge(input).affects;
      const want = [...new Map(input.map((p) => [`${p.namespace}/${p.name}`, p])).keys()].sort();
      expect(names(got)).toEqual(want);
      if (what === 0 && n >= 512) expect(got).toBe(last);
      last = got;
    }
  });
});
