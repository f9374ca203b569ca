// A multi-valued index: index key → (record key → record), with a cached array per index key
// so readers get a stable array until that bucket changes. Most buckets are tiny (the pods of one
// claim, the objects of one owner), and a Map costs hundreds of bytes: small buckets are flat
// arrays of [key, record, key, record, …], promoted to a Map once they grow.
const NONE: readonly never[] = Object.freeze([]);
const SMALL = 16;

type Bucket<R> = (string | R)[] | Map<string, R>;

export class Index<R> {
  private readonly buckets = new Map<string, Bucket<R>>();
  private readonly arrays = new Map<string, readonly R[]>();

  add(indexKey: string, recordKey: string, rec: R): void {
    const b = this.buckets.get(indexKey);
    this.arrays.delete(indexKey);
    if (!b) {
      this.buckets.set(indexKey, [recordKey, rec]);
      return;
    }
    if (b instanceof Map) {
      b.set(recordKey, rec);
      return;
    }
    for (let i = 0; i < b.length; i += 2) {
      if (b[i] === recordKey) {
        b[i + 1] = rec;
        return;
      }
    }
    if (b.length < SMALL * 2) {
      b.push(recordKey, rec);
      return;
    }
    const m = new Map<string, R>();
    for (let i = 0; i < b.length; i += 2) m.set(b[i] as string, b[i + 1] as R);
    m.set(recordKey, rec);
    this.buckets.set(indexKey, m);
  }

  remove(indexKey: string, recordKey: string): void {
    const b = this.buckets.get(indexKey);
    if (!b) return;
    this.arrays.delete(indexKey);
    if (b instanceof Map) {
      b.delete(recordKey);
      if (b.size === 0) this.buckets.delete(indexKey);
      return;
    }
    for (let i = 0; i < b.length; i += 2) {
      if (b[i] === recordKey) {
        b.splice(i, 2);
        break;
      }
    }
    if (b.length === 0) this.buckets.delete(indexKey);
  }

  get(indexKey: string): readonly R[] {
    const hit = this.arrays.get(indexKey);
    if (hit) return hit;
    const b = this.buckets.get(indexKey);
    if (!b) return NONE;
    let arr: R[];
    if (b instanceof Map) arr = [...b.values()];
    else {
      arr = [];
      for (let i = 1; i < b.length; i += 2) arr.push(b[i] as R);
    }
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
