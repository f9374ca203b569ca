// The keys of one table in sorted order, maintained lazily: additions are buffered and merged
// (sorting only the new keys) the next time an ordered view is needed, and removals are dropped
// during that merge. Bulk loading 100k objects then costs one sort, and a list after a few
// changes costs one linear merge rather than a full sort.

export class SortedKeys {
  private sorted: string[] = [];
  private pending: string[] = [];
  private dirty = false;

  add(key: string): void {
    this.pending.push(key);
    this.dirty = true;
  }

  remove(): void {
    this.dirty = true;
  }

  /** Keys in ascending order; `live` says which keys still exist. */
  keys(live: { has(key: string): boolean }): string[] {
    if (!this.dirty) return this.sorted;
    const add = this.pending.sort();
    const out: string[] = [];
    let i = 0;
    let j = 0;
    let last: string | undefined;
    const a = this.sorted;
    while (i < a.length || j < add.length) {
      const k = j >= add.length || (i < a.length && a[i] <= add[j]) ? a[i++] : add[j++];
      if (k !== last && live.has(k)) out.push(k);
      last = k;
    }
    this.sorted = out;
    this.pending = [];
    this.dirty = false;
    return out;
  }
}

/** Index of the first element >= key in a sorted array. */
export function lowerBound(arr: readonly string[], key: string): number {
  let lo = 0;
  let hi = arr.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (arr[mid] < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
