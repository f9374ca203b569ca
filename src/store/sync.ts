// Whether the store is still receiving its first lists: views pace their progress display and
// the usage poller waits meanwhile, so that the lists arrive as fast as the apiserver sends them.
import { KIND_NAMES } from './kinds';
import type { KindName } from './records';
import type { KindStatus, StoreReader } from './store';

/** Some kind is still in its first list (the header says "syncing"; a relist is not). */
export function inFirstSync(store: StoreReader): boolean {
  return KIND_NAMES.some((k) => {
    const s = store.status(k).state;
    return s === 'pending' || s === 'syncing';
  });
}

/** A kind receiving its first list right now (never synced before): its records are partial. */
export function inFirstList(s: KindStatus): boolean {
  return s.state === 'syncing' && !s.syncedAt;
}

/** The kinds among `kinds` still receiving their first list, with their progress. */
export function firstLists(store: StoreReader, kinds: readonly KindName[]): { readonly kind: KindName; readonly listed: number; readonly expected: number }[] {
  const out: { kind: KindName; listed: number; expected: number }[] = [];
  for (const kind of kinds) {
    const s = store.status(kind);
    if (inFirstList(s)) out.push({ kind, listed: s.listed, expected: s.expected });
  }
  return out;
}

/** Some kind is receiving its first list. */
export function anyFirstList(store: StoreReader): boolean {
  return KIND_NAMES.some((k) => inFirstList(store.status(k)));
}
