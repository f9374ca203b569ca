// What changed between two store lists of a kind. Store lists keep an updated record in its
// place, append new ones and close the gap of deleted ones, and records are replaced, never
// mutated: a walk comparing references finds the changes without reading unchanged records.

/**
 * Calls `gone` for every record of `before` not in `after` (deleted, or the old version of an
 * update) and `came` for every record of `after` not in `before` (added, or the new version).
 * Where the lists are out of step (many deletions at once) it may report a record as both gone
 * and come back: callers must treat the two calls as a pair that cancels out.
 */
export function diffByPosition<T>(before: readonly T[], after: readonly T[], gone: (r: T) => void, came: (r: T) => void): void {
  let i = 0;
  for (let j = 0; j < after.length; j++) {
    if (i < before.length && before[i] === after[j]) i++;
    else if (i + 1 < before.length && before[i + 1] === after[j]) (gone(before[i]), (i += 2)); // before[i] was deleted
    else {
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
    } else if (i + 1 < old.length && old[i + 1] === items[j]) {
      values[j] = prev!.values[i + 1]; // old[i] was deleted
      i += 2;
    } else {
      values[j] = compute(items[j]);
      if (i < old.length) i++; // replaced in place (an update), or out of step: recompute, move on
    }
  }
  return values;
}

