// While a kind's first list arrives, lists made of it show the listing's progress instead of rows
// made from part of the objects, and nothing is judged on a partial store; once it is in, the
// rows and the findings show.
import { afterEach, describe, expect, it } from 'vitest';
import { mount, NOW, rowWith, type Mounted } from './harness';
import { fakeSession } from './fake-session';
import { buildScenarios } from '../../src/sim/scenarios';
import { Store } from '../../src/store/store';
import { project, type RawObject } from '../../src/store/project';
import { KIND_NAMES } from '../../src/store/kinds';
import type { KindName } from '../../src/store/records';

let m: Mounted | undefined;
afterEach(() => {
  m?.unmount();
  m = undefined;
});

/** A store the scenarios' objects arrived in, every kind listed except `arriving`, mid-list. */
function arrivingStore(arriving: KindName): { store: Store; objects: RawObject[]; total: number } {
  const objects = buildScenarios('all', { now: NOW, seed: 1 }).objects as unknown as RawObject[];
  const store = new Store({ now: () => NOW, notifyMs: 5 });
  const total = objects.filter((o) => o.kind === arriving).length;
  for (const k of KIND_NAMES) store.setStatus(k, k === arriving ? { state: 'syncing', listed: 0, expected: 0 } : { state: 'synced' });
  let listed = 0;
  for (const o of objects) {
    if (!(KIND_NAMES as readonly string[]).includes(o.kind)) continue;
    // Half of the arriving kind's objects are in so far.
    if (o.kind === arriving && listed >= total / 2) continue;
    if (o.kind === arriving) listed++;
    const rec = project(o.kind as KindName, o);
    if (rec) store.apply('ADDED', rec);
  }
  store.setStatus(arriving, { listed, expected: total });
  store.flush();
  return { store, objects, total };
}

describe('first lists', () => {
  it('the pods view shows the progress of the pod list, then the pods and their findings', async () => {
    const { store, objects, total } = arrivingStore('Pod');
    m = mount(fakeSession(objects, { store }));
    let f = await m.press();
    const half = Math.ceil(total / 2);
    expect(f).toMatch(new RegExp(`listing pods ${half}/${total}…`));
    expect(f.split('\n')[1]).toMatch(/^Pods\(all\)\[…\]/);
    expect(f.split('\n')[0]).toMatch(/syncing 14\/15 \(pods \d+\/\d+\)/);
    // No row from half a list, and no verdict judged on it.
    expect(rowWith(f, 'trainer')).toBeUndefined();
    expect(f.split('\n')[0]).not.toMatch(/errors/);

    for (const o of objects) {
      if (o.kind !== 'Pod') continue;
      const rec = project('Pod', o);
      if (rec) store.apply('ADDED', rec);
    }
    store.setStatus('Pod', { state: 'synced', listed: total, expected: total });
    // The complete list is drawn first; the header says the findings are being judged, not
    // that there are none.
    f = await m.waitFor(/ synced judging…/);
    expect(rowWith(f, 'trainer')).toBeDefined();
    expect(f).not.toMatch(/no findings/);
    f = await m.waitFor(/✗ \d+ errors/);
    expect(f).not.toMatch(/listing pods/);
    expect(f.split('\n')[0]).toMatch(/ synced /);
    expect(f.split('\n')[1]).toMatch(new RegExp(`^Pods\\(all\\)\\[\\d+\\]`));
    expect(rowWith(f, 'trainer')).toMatch(/^✗ .*ContainerCreating/);
  });

  it('a cluster with nothing wrong says so once judged, not judging for ever', async () => {
    const store = new Store({ now: () => NOW, notifyMs: 5 });
    for (const k of KIND_NAMES) store.setStatus(k, k === 'Pod' ? { state: 'syncing', listed: 0, expected: 0 } : { state: 'synced' });
    store.flush();
    m = mount(fakeSession([], { store }));
    expect(await m.press()).toMatch(/listing pods/);
    store.setStatus('Pod', { state: 'synced', listed: 0, expected: 0 });
    const f = await m.waitFor(/ synced no findings/);
    expect(f.split('\n')[0]).toMatch(/ synced no findings/);
    expect(f).not.toMatch(/judging/);
  });

  it('a view whose kinds are all in shows its rows while another kind still arrives', async () => {
    const { store, objects } = arrivingStore('Event');
    m = mount(fakeSession(objects, { store }), { start: 'pv' });
    const f = await m.press();
    expect(f.split('\n')[1]).toMatch(/^PVs\(all\)\[[1-9]\d*\]/);
    expect(f).not.toMatch(/listing/);
    m.unmount();
    m = mount(fakeSession(objects, { store }), { start: 'events' });
    expect(await m.press()).toMatch(/listing events \d+\/\d+…/);
  });
});
