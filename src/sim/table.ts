// One table per stored resource: the live objects by key (`ns/name`, or `name` when
// cluster-scoped), their keys in order, and consistent snapshots for paged lists. A snapshot is
// the ordered object array as of some resourceVersion; the current one is reused until the
// table changes, and recent past ones are kept so continue tokens page through the same data.
import type { Change } from './history';
import { SortedKeys } from './sorted-keys';
import type { KubeObject } from './types';

export interface Snapshot {
  /** Valid for list versions in [fromRv, toRv). */
  fromRv: number;
  toRv: number;
  keys: string[];
  objs: KubeObject[];
}

const PAST_SNAPSHOTS = 8;

export function objectKey(namespace: string | undefined, name: string): string {
  return namespace ? `${namespace}/${name}` : name;
}

export class Table {
  readonly items = new Map<string, KubeObject>();
  private readonly order = new SortedKeys();
  /** resourceVersion of the last change to this table. */
  modRv = 0;
  private current?: Snapshot;
  private past: Snapshot[] = [];

  constructor(readonly name: string) {}

  set(key: string, obj: KubeObject, rv: number): void {
    if (!this.items.has(key)) this.order.add(key);
    this.items.set(key, obj);
    this.changed(rv);
  }

  delete(key: string, rv: number): void {
    this.items.delete(key);
    this.order.remove();
    this.changed(rv);
  }

  private changed(rv: number): void {
    if (this.current) {
      this.current.toRv = rv;
      this.past.push(this.current);
      if (this.past.length > PAST_SNAPSHOTS) this.past.shift();
      this.current = undefined;
    }
    this.modRv = rv;
  }

  /** The snapshot of the table as it is now. */
  snapshot(): Snapshot {
    if (!this.current) {
      const keys = this.order.keys(this.items);
      const objs = new Array<KubeObject>(keys.length);
      for (let i = 0; i < keys.length; i++) objs[i] = this.items.get(keys[i])!;
      this.current = { fromRv: this.modRv, toRv: Infinity, keys, objs };
    }
    return this.current;
  }

  /**
   * The snapshot as of `rv`, from the cache or rebuilt by undoing `later` (the changes after
   * `rv`, oldest first, all tables). The caller checks that history still reaches back to rv.
   */
  snapshotAt(rv: number, later: Change[]): Snapshot {
    if (rv >= this.modRv) return this.snapshot();
    const cached = this.past.find((s) => s.fromRv <= rv && rv < s.toRv);
    if (cached) return cached;
    const map = new Map(this.items);
    for (let i = later.length - 1; i >= 0; i--) {
      const c = later[i];
      if (c.storage !== this.name) continue;
      if (c.type === 'ADDED') map.delete(c.key);
      else map.set(c.key, c.prev!);
    }
    const keys = [...map.keys()].sort();
    const snap: Snapshot = { fromRv: rv, toRv: rv + 1, keys, objs: keys.map((k) => map.get(k)!) };
    this.past.push(snap);
    if (this.past.length > PAST_SNAPSHOTS) this.past.shift();
    return snap;
  }
}
