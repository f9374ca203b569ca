// An immutable string-keyed map whose new versions share what did not change: the entries live
// in 64 smaller maps by a hash of the key, and a version with a few keys changed copies only
// their shards. The usage snapshot (25k claims at 50k pods) changed a few claims at a time and
// was copied whole each time: ~25 ms a judgement under churn.

const SHARDS = 64;

function shardOf(key: string): number {
  // FNV-1a over the UTF-16 code units: cheap and spreads namespace/name keys well.
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
  return (h >>> 0) % SHARDS;
}

const EMPTY: ReadonlyMap<string, unknown> = new Map<string, unknown>();

export class ShardedMap<V> implements ReadonlyMap<string, V> {
  private constructor(
    private readonly shards: readonly ReadonlyMap<string, V>[],
    readonly size: number,
  ) {}

  static of<V>(entries: Iterable<readonly [string, V]> = []): ShardedMap<V> {
    return new ShardedMap<V>(Array.from({ length: SHARDS }, () => EMPTY as ReadonlyMap<string, V>), 0).with(entries);
  }

  /** A new version with these keys set (`undefined` deletes); this one when nothing changes. */
  with(changes: Iterable<readonly [string, V | undefined]>): ShardedMap<V> {
    let shards: ReadonlyMap<string, V>[] | undefined;
    const copied = new Set<number>();
    let size = this.size;
    for (const [key, value] of changes) {
      const s = shardOf(key);
      const cur = (shards ?? this.shards)[s];
      const had = cur.has(key);
      if (value === undefined ? !had : had && cur.get(key) === value) continue;
      shards ??= [...this.shards];
      let m = shards[s] as Map<string, V>;
      if (!copied.has(s)) (copied.add(s), (shards[s] = m = new Map(cur)));
      if (value === undefined) m.delete(key), size--;
      else m.set(key, value), had || size++;
    }
    return shards ? new ShardedMap(shards, size) : this;
  }

  get(key: string): V | undefined {
    return this.shards[shardOf(key)].get(key);
  }

  has(key: string): boolean {
    return this.shards[shardOf(key)].has(key);
  }

  *entries(): MapIterator<[string, V]> {
    for (const m of this.shards) yield* m.entries();
  }

  *keys(): MapIterator<string> {
    for (const m of this.shards) yield* m.keys();
  }

  *values(): MapIterator<V> {
    for (const m of this.shards) yield* m.values();
  }

  [Symbol.iterator](): MapIterator<[string, V]> {
    return this.entries();
  }

  forEach(fn: (value: V, key: string, map: ReadonlyMap<string, V>) => void): void {
    for (const [k, v] of this.entries()) fn(v, k, this);
  }
}
