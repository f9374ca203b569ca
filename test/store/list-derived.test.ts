// Store lists derived in place: a list made after records were only updated is the last one with
// those records put in their places, and says which places changed (list-diff's walks then look
// at those alone). Whatever the store did, list() must equal the store's records in order, and
// the walks must give what a full comparison gives.
import { describe, expect, it } from 'vitest';
import { changedPlaces, diffByPosition, filterByPosition, reuseByPosition } from '../../src/store/list-diff';
import { project } from '../../src/store/project';
import type { PVCRec } from '../../src/store/records';
import { Store } from '../../src/store/store';
import { rng } from '../helpers/rng';

let rv = 0;
const pvc = (name: string, phase = 'Bound'): PVCRec =>
  project('PersistentVolumeClaim', { kind: 'PersistentVolumeClaim', metadata: { name, namespace: 'ns', uid: `u-${name}`, resourceVersion: String(++rv) }, spec: {}, status: { phase } } as never) as PVCRec;

describe('store lists derived in place', () => {
  it('equal the records in order through updates, additions and deletions, and name the places updated', () => {
    const rand = rng(3);
    const store = new Store();
    // The order the store promises: an updated record keeps its place, a new one comes last.
    const model = new Map<string, string>();
    const put = (r: PVCRec) => (store.apply(model.has(r.name) ? 'MODIFIED' : 'ADDED', r), model.set(r.name, r.resourceVersion));
    for (let i = 0; i < 200; i++) put(pvc(`c${i}`));
    let last = store.list('PersistentVolumeClaim');
    let derived = 0;
    const kept: (readonly PVCRec[])[] = [last];
    for (let round = 0; round < 300; round++) {
      const names = last.map((r) => r.name);
      const updated = new Set<number>();
      let structural = false;
      for (let k = rand(6); k > 0; k--) {
        const j = rand(names.length);
        put(pvc(names[j], rand(2) ? 'Bound' : 'Pending'));
        updated.add(j);
      }
      if (rand(10) === 0) {
        const name = names[rand(names.length)];
        store.apply('DELETED', store.get('PersistentVolumeClaim', 'ns', name)!);
        model.delete(name);
        structural = true;
      }
      if (rand(10) === 0) (put(pvc(`n${round}`)), (structural = true));
      const list = store.list('PersistentVolumeClaim');
      expect(list.map((r) => `${r.name}@${r.resourceVersion}`)).toEqual([...model].map(([n, v]) => `${n}@${v}`));
      const places = changedPlaces(last, list);
      if (!structural && updated.size) {
        expect(places, `round ${round}`).toBeDefined();
        expect([...places!]).toEqual([...updated].sort((a, b) => a - b));
        derived++;
      }
      if (structural) expect(places).toBeUndefined();
      last = list;
      kept.push(list);
    }
    expect(derived).toBeGreaterThan(100);
    // Lists further apart: every place that may differ is named (a superset of those that do).
    for (let a = 0; a + 5 < kept.length; a += 7) {
      const p = changedPlaces(kept[a], kept[a + 5]);
      if (!p) continue;
      kept[a + 5].forEach((r, j) => {
        if (r !== kept[a][j]) expect(p).toContain(j);
      });
    }
  });

  it('lets the walks look at the updated places only, with the answers a full walk gives', () => {
    const store = new Store();
    for (let i = 0; i < 1000; i++) store.apply('ADDED', pvc(`c${i}`, i % 3 ? 'Bound' : 'Pending'));
    const l1 = store.list('PersistentVolumeClaim');
    const pending = (r: PVCRec) => r.phase === 'Pending';
    const f1 = filterByPosition(undefined, l1, pending);
    const v1 = reuseByPosition(undefined, l1, (r) => r.phase);
    // c4 (Bound) stays Bound with a new version; c6 (Pending) stays Pending; c7 turns Pending.
    store.apply('MODIFIED', pvc('c4', 'Bound'));
    store.apply('MODIFIED', pvc('c6', 'Pending'));
    const l2 = store.list('PersistentVolumeClaim');
    let tested = 0;
    const f2 = filterByPosition(f1, l2, (r) => (tested++, pending(r)));
    expect(tested).toBe(2);
    expect(f2.out).toEqual(l2.filter(pending));
    expect(changedPlaces(f1.out, f2.out)).toEqual(new Int32Array([f2.out.indexOf(l2[6])]));
    store.apply('MODIFIED', pvc('c7', 'Pending'));
    const l3 = store.list('PersistentVolumeClaim');
    const f3 = filterByPosition(f2, l3, pending);
    expect(f3.out).toEqual(l3.filter(pending));
    let computed = 0;
    const v3 = reuseByPosition({ items: l1, values: v1 }, l3, (r) => (computed++, r.phase));
    expect(computed).toBe(3);
    expect(v3).toEqual(l3.map((r) => r.phase));
    const gone: string[] = [];
    const came: string[] = [];
    diffByPosition(l1, l3, (r) => gone.push(`${r.name}@${r.resourceVersion}`), (r) => came.push(`${r.name}@${r.resourceVersion}`));
    expect(gone).toEqual(['c4', 'c6', 'c7'].map((n) => `${n}@${l1.find((r) => r.name === n)!.resourceVersion}`));
    expect(came).toEqual(['c4', 'c6', 'c7'].map((n) => `${n}@${l3.find((r) => r.name === n)!.resourceVersion}`));
  });
});
