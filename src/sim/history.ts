// The change log behind watches, continue tokens and exact-rv lists: every committed change in
// resourceVersion order, bounded (older entries are dropped, and so is everything on compact()).
// `compactedRv` is the newest version whose following changes are no longer all known: a watch
// or list asking for anything older gets 410 Expired, as from kube-apiserver after etcd compaction.
import type { KubeObject } from './types';

export type ChangeType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface Change {
  rv: number;
  /** Table (storage) the object lives in. */
  storage: string;
  key: string;
  type: ChangeType;
  /** The object after the change; for DELETED its last state, carrying the deletion's resourceVersion. */
  obj: KubeObject;
  /** The object before the change (undefined for ADDED). */
  prev?: KubeObject;
  /** Serialised watch lines, computed once per event and shared by every watcher. */
  lines?: Map<string, string>;
}

export class History {
  private events: Change[] = [];
  private head = 0;
  compactedRv = 0;

  constructor(private readonly limit: number) {}

  push(c: Change): void {
    this.events.push(c);
    if (this.events.length - this.head > this.limit) {
      this.compactedRv = this.events[this.head].rv;
      this.head++;
      // Reclaim the dropped prefix in chunks so pushes stay O(1) amortised.
      if (this.head > 4096 && this.head * 2 > this.events.length) {
        this.events = this.events.slice(this.head);
        this.head = 0;
      }
    }
  }

  /** Drops every entry: nothing before `rv` can be replayed any more. */
  compact(rv: number): void {
    this.events = [];
    this.head = 0;
    this.compactedRv = rv;
  }

  /** Changes with resourceVersion > rv, oldest first. */
  since(rv: number): Change[] {
    let lo = this.head;
    let hi = this.events.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.events[mid].rv <= rv) lo = mid + 1;
      else hi = mid;
    }
    return this.events.slice(lo);
  }

  get size(): number {
    return this.events.length - this.head;
  }
}
