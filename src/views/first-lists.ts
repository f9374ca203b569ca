// Lists whose kinds are still arriving: a view shows the listing's progress instead of rows made
// from part of the objects (a pod without its claim's PV, a half list). A triage tool must not
// show a wrong picture for a few seconds, and a 10k-row table rebuilt and redrawn while its
// lists arrive costs a busy main thread what the lists need to arrive faster.
import { useEffect, useState } from 'react';
import type { KindName } from '../store/records';
import type { Change, StoreReader } from '../store/store';
import { firstLists } from '../store/sync';
import { shortKind } from './kinds';

interface Subscribable extends StoreReader {
  subscribe(fn: (c: Change) => void): () => void;
}

/** Least time between two progress updates. */
const PROGRESS_MS = 500;

export type FirstListProgress = ReturnType<typeof firstLists>;

/** The kinds among `kinds` in their first list (empty once every one has arrived), kept current. */
export function useFirstLists(store: Subscribable, kinds: readonly KindName[]): FirstListProgress {
  const [, force] = useState(0);
  const now = firstLists(store, kinds);
  const waiting = now.length > 0;
  useEffect(() => {
    if (!waiting) return;
    let timer: NodeJS.Timeout | undefined;
    const unsubscribe = store.subscribe((c) => {
      if (!c.status || timer) return;
      // The last list arriving is drawn at once; progress twice a second.
      const wait = firstLists(store, kinds).length === 0 ? 0 : PROGRESS_MS;
      timer = setTimeout(() => ((timer = undefined), force((n) => n + 1)), wait);
      timer.unref?.();
    });
    return () => {
      unsubscribe();
      if (timer) clearTimeout(timer);
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [store, kinds.join(','), waiting]);
  return now;
}

/** `listing pods 4500/10000, pvc…`: what an empty list says while its kinds arrive. */
export function firstListsText(p: FirstListProgress): string {
  return `listing ${p.map((x) => `${shortKind(x.kind)}s${x.expected ? ` ${x.listed}/${x.expected}` : ''}`).join(', ')}…`;
}
