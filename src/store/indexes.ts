// A multi-valued index: index key → (record key → record), with a cached array per index key
// so readers get a stable array until that bucket changes.
const NONE: readonly never[] = Object.freeze([]);

export class Index<R> {
  private readonly buckets = new Map<string, Map<string, R>>();
  private readonly arrays = new Map<string, readonly R[]>();

  add(indexKey: string, recordKey: string, rec: R): void {
    let b = this.buckets.get(indexKey);
    if (!b) this.buckets.set(indexKey, (b = new Map()));
    b.set(recordKey, rec);
    this.arrays.delete(indexKey);
  }

  remove(indexKey: string, recordKey: string): void {
    const b = this.buckets.get(indexKey);
    if (!b) return;
    b.delete(recordKey);
    if (b.size === 0) this.buckets.delete(indexKey);
    this.arrays.delete(indexKey);
  }

  get(indexKey: string): readonly R[] {
    const hit = this.arrays.get(indexKey);
    if (hit) return hit;
    const b = this.buckets.get(indexKey);
    if (!b) return NONE;
    const arr = [...b.values()];
    this.arrays.set(indexKey, arr);
    return arr;
  }

  keys(): IterableIterator<string> {
    return this.buckets.keys();
  }

  clear(): void {
    this.buckets.clear();
    this.arrays.clear();
  }
}
