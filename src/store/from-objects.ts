// Builds a store straight from raw API objects (each carrying its `kind`): fixtures, tests, and
// headless snapshots use this; the live path goes through reflectors.
import type { KindName } from './records';
import { KINDS } from './kinds';
import { project, type RawObject } from './project';
import { Store, type StoreOptions } from './store';

export function isKindName(k: unknown): k is KindName {
  return typeof k === 'string' && Object.prototype.hasOwnProperty.call(KINDS, k);
}

/** Projects and adds every object whose kind csi-top keeps; others are ignored. Marks every kind synced. */
export function storeFromObjects(objects: readonly RawObject[], opts?: StoreOptions): Store {
  const store = new Store(opts);
  for (const o of objects) {
    if (!isKindName(o.kind)) continue;
    const rec = project(o.kind, o);
    if (rec) store.apply('ADDED', rec);
  }
  for (const k of Object.keys(KINDS) as KindName[]) store.setStatus(k, { state: 'synced', listed: store.count(k) });
  store.flush();
  return store;
}
