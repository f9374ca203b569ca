// Whether the store is still receiving its first lists: views pace their progress display and
// the usage poller waits meanwhile, so that the lists arrive as fast as the apiserver sends them.
import { KIND_NAMES } from './kinds';
import type { StoreReader } from './store';

/** Some kind is still in its first list (the header says "syncing"; a relist is not). */
export function inFirstSync(store: StoreReader): boolean {
  return KIND_NAMES.some((k) => {
    const s = store.status(k).state;
    return s === 'pending' || s === 'syncing';
  });
}
