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
  const places = changedPlaces(before, after);
  if (places) {
    for (const j of places) if (before[j] !== after[j]) (gone(before[j]), came(after[j]));
    return;
  }
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

// ---- lists derived in place ----
// A store list made from the one before it by replacing updated records in their places (no
// record added or deleted) says which places changed: the walks below then look at those only
// instead of comparing every record (three to six 50k-pod walks per refresh under churn).

/** Places changed from one list to the next of a lineage; the last LOG_DEPTH steps are kept. */
interface Lineage {
  readonly steps: Int32Array[];
  /** The generation of steps[0]'s result. */
  first: number;
}

const LOG_DEPTH = 64;
const lineageOf = new WeakMap<readonly unknown[], { readonly line: Lineage; readonly gen: number }>();

/** Records that `after` is `before` with the records at `changed` replaced (nothing added or deleted). */
export function noteDerived(before: readonly unknown[], after: readonly unknown[], changed: Int32Array): void {
  let b = lineageOf.get(before);
  if (!b) lineageOf.set(before, (b = { line: { steps: [], first: 1 }, gen: 0 }));
  const { line } = b;
  // Only a list's newest derivation extends the lineage (a list is derived once).
  if (b.gen !== line.first + line.steps.length - 1) return;
  line.steps.push(changed);
  if (line.steps.length > LOG_DEPTH) (line.steps.shift(), line.first++);
  lineageOf.set(after, { line, gen: b.gen + 1 });
}

/**
 * The places where `after` may differ from `before` when it was derived from it in place (sorted,
 * each once), or undefined when that is not known (a record added or deleted, too long ago).
 */
export function changedPlaces(before: readonly unknown[], after: readonly unknown[]): Int32Array | undefined {
  if (before === after) return new Int32Array(0);
  const a = lineageOf.get(before);
  const b = lineageOf.get(after);
  if (!a || !b || a.line !== b.line || b.gen <= a.gen || a.gen + 1 < a.line.first) return undefined;
  const { steps, first } = a.line;
  if (b.gen === a.gen + 1) return steps[b.gen - first];
  let n = 0;
  for (let g = a.gen + 1; g <= b.gen; g++) n += steps[g - first].length;
  const all = new Int32Array(n);
  n = 0;
  for (let g = a.gen + 1; g <= b.gen; g++) all.set(steps[g - first], (n += steps[g - first].length) - steps[g - first].length);
  all.sort();
  let u = 0;
  for (let i = 0; i < all.length; i++) if (i === 0 || all[i] !== all[i - 1]) all[u++] = all[i];
  return all.subarray(0, u);
}

/**
 * Per-item values for `items`, reusing `prev`'s for the records unchanged since (the same walk as
 * diffByPosition, kept apart because it runs over every pod on each refresh: no callback per
 * unchanged record) and computing the others.
 */
export function reuseByPosition<T, V>(prev: { readonly items: readonly T[]; readonly values: readonly V[] } | undefined, items: readonly T[], compute: (item: T) => V): V[] {
  const places = prev && changedPlaces(prev.items, items);
  if (places) {
    const values = prev.values.slice();
    for (const j of places) if (items[j] !== prev.items[j]) values[j] = compute(items[j]);
    return values;
  }
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
    const places = changedPlaces(before, items);
    const n = places ? places.length : items.length;
    const outPlaces: number[] = [];
    for (let k = 0; k < n; k++) {
      const j = places ? places[k] : k;
      if (items[j] === before[j]) continue;
      const at = prev.at[j];
      // A record further on in the last list: records were deleted (and as many added), the
      // rest is shifted: the walk below follows that.
      if ((!places && deletedBefore(before, j, items[j]) > 0) || test(items[j], j) !== at >= 0) {
        same = false;
        break;
      }
      if (at >= 0) ((out ??= prev.out.slice())[at] = items[j]), outPlaces.push(at);
    }
    if (same) {
      // The filtered list is derived in place too: what reads it can follow the same way.
      if (out) noteDerived(prev.out, out, Int32Array.from(outPlaces).sort());
      return { items, out: out ?? prev.out, at: prev.at };
    }
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
