// What changed between two store lists of a kind. Store lists keep an updated record in its
// place, append new ones and close the gap of deleted ones, and records are replaced, never
// mutated: a walk comparing references finds the changes without reading unchanged records.

/** How many deletions in a row a walk steps over (past that it is out of step, see below). */
const LOOKAHEAD = 8;

/**
 * Where a record missing at `before[i]` is a little further on: d (1..LOOKAHEAD) when the d
 * records before it were deleted, 0 when it is not there (new, or a new version).
 */
function deletedBefore<T>(before: readonly T[], i: number, item: T): number {
  for (let d = 1; d <= LOOKAHEAD && i + d < before.length; d++) if (before[i + d] === item) return d;
  return 0;
}

/**
 * Calls `gone` for every record of `before` not in `after` (deleted, or the old version of an
 * update) and `came` for every record of `after` not in `before` (added, or the new version).
 * Where the lists are out of step (more than 8 deletions in a row) it may report a record as both
 * gone and come back: callers must treat the two calls as a pair that cancels out.
 */
export function diffByPosition<T>(before: readonly T[], after: readonly T[], gone: (r: T) => void, came: (r: T) => void): void {
  let i = 0;
  for (let j = 0; j < after.length; j++) {
    if (i < before.length && before[i] === after[j]) {
      i++;
      continue;
    }
    const d = deletedBefore(before, i, after[j]);
    if (d > 0) {
      for (const end = i + d; i < end; i++) gone(before[i]);
      i++;
    } else {
      came(after[j]);
      if (i < before.length) gone(before[i++]); // replaced in place, or out of step
    }
  }
  for (; i < before.length; i++) gone(before[i]);
}

const NONE_ITEMS: readonly never[] = [];

/**
 * Per-item values for `items`, reusing `prev`'s for the records unchanged since (the same walk as
 * diffByPosition, kept apart because it runs over every pod on each refresh: no callback per
 * unchanged record) and computing the others.
 */
export function reuseByPosition<T, V>(prev: { readonly items: readonly T[]; readonly values: readonly V[] } | undefined, items: readonly T[], compute: (item: T) => V): V[] {
  const values = new Array<V>(items.length);
  const old = prev?.items ?? NONE_ITEMS;
  let i = 0;
  for (let j = 0; j < items.length; j++) {
    if (i < old.length && old[i] === items[j]) {
      values[j] = prev!.values[i++];
      continue;
    }
    const d = deletedBefore(old, i, items[j]);
    if (d > 0) {
      values[j] = prev!.values[i + d];
      i += d + 1;
    } else {
      values[j] = compute(items[j]);
      if (i < old.length) i++; // replaced in place (an update), or out of step: recompute, move on
    }
  }
  return values;
}

/** A list filtered by position: which items passed, the ones that did, and where each is in `out`. */
export interface Filtered<T> {
  readonly items: readonly T[];
  readonly out: readonly T[];
  /** For each item, its place in `out`, or -1. */
  readonly at: Int32Array;
}

/**
 * `items.filter(test)`, worked out from `prev` (the same filter over an earlier list) when only
 * records in place changed and none changed sides: `out` is then a copy of the last one with the
 * new records put in their places, and `test` runs on the changed positions only. Otherwise (a
 * record added, deleted or now on the other side) the list is filtered again, testing only the
 * records not in `prev`. Under churn at 50k pods this keeps a refresh from testing every record
 * and growing a new array.
 */
export function filterByPosition<T>(prev: Filtered<T> | undefined, items: readonly T[], test: (item: T, i: number) => boolean): Filtered<T> {
  if (prev && prev.items.length === items.length) {
    const before = prev.items;
    let out: T[] | undefined;
    let same = true;
    for (let j = 0; j < items.length; j++) {
      if (items[j] === before[j]) continue;
      const at = prev.at[j];
      // A record further on in the last list: records were deleted (and as many added), the
      // rest is shifted: the walk below follows that.
      if (deletedBefore(before, j, items[j]) > 0 || test(items[j], j) !== at >= 0) {
        same = false;
        break;
      }
      if (at >= 0) (out ??= prev.out.slice())[at] = items[j];
    }
    if (same) return { items, out: out ?? prev.out, at: prev.at };
  }
  // Records not changed since keep their verdict (the reuseByPosition walk); the others are tested.
  const at = new Int32Array(items.length);
  const out: T[] = [];
  const before = prev?.items ?? NONE_ITEMS;
  let i = 0;
  for (let j = 0; j < items.length; j++) {
    let pass: boolean;
    if (i < before.length && before[i] === items[j]) pass = prev!.at[i++] >= 0;
    else {
      const d = deletedBefore(before, i, items[j]);
      if (d > 0) (pass = prev!.at[i + d] >= 0), (i += d + 1);
      else {
        pass = test(items[j], j);
        if (i < before.length) i++;
      }
    }
    at[j] = pass ? out.push(items[j]) - 1 : -1;
  }
  return { items, out, at };
}
