// A list's rows in the order of one column, worked out again at every refresh. Under churn most
// refreshes change a few records in place and move none: the last order is patched instead of
// computing every row's sort value and sorting 50k rows again.
import type { Column, RowCtx } from './list';
import { reuseByPosition } from '../store/list-diff';

type Row = unknown;
type Value = string | number;

export function compareValues(a: Value, b: Value): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const x = String(a);
  const y = String(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** The last sort by a column: its rows, their keys and sort values, and the order it gave. */
interface LastSort {
  readonly desc: boolean;
  readonly rows: readonly Row[];
  readonly keys: readonly string[];
  readonly vals: readonly Value[];
  /** Row indexes in sorted order. */
  readonly order: readonly number[];
  /** Each row's place in that order. */
  readonly place: Int32Array;
  readonly out: readonly Row[];
}

const lastSort = new WeakMap<Column<Row>, LastSort>();

const comparator = (vals: readonly Value[], keys: readonly string[], desc: boolean) => (i: number, j: number) => {
  const c = compareValues(vals[i], vals[j]);
  if (c !== 0) return desc ? -c : c;
  return keys[i] < keys[j] ? -1 : keys[i] > keys[j] ? 1 : 0;
};

/**
 * `rows` sorted by `col` (ties by key, so the order is total). Rows of the same keys as the last
 * sort's, at the same places, with the sort values of changed rows still between their
 * neighbours' are not sorted again: the last order holds, and only changed rows are put in.
 */
export function sortRows(rows: readonly Row[], col: Column<Row> | undefined, desc: boolean, ctx: RowCtx, key: (r: Row) => string): readonly Row[] {
  if (!col) return rows;
  const value = col.sort ?? ((r: Row, c: RowCtx) => col.cell(r, c).toLowerCase());
  const prev = lastSort.get(col);
  if (prev && prev.desc === desc) {
    if (prev.rows === rows) return prev.out;
    const patched = col.rowOnly ? patch(col, prev, rows, (r) => value(r, ctx), key) : undefined;
    if (patched) return patched;
  }
  // Values of a column that reads the row alone are kept for the rows not changed since.
  const vals = col.rowOnly && prev ? reuseByPosition({ items: prev.rows, values: prev.vals }, rows, (r) => value(r, ctx)) : rows.map((r) => value(r, ctx));
  const keys = rows.map(key);
  const cmp = comparator(vals, keys, desc);
  // Store lists keep an updated record in its place: when every row is where it was, the last
  // order is checked first (one comparison a row) and kept if still strictly ascending, which
  // is then the one order a sort would give.
  let order: readonly number[] | undefined;
  if (prev && prev.desc === desc && prev.keys.length === keys.length && prev.keys.every((k, i) => k === keys[i])) {
    const o = prev.order;
    let sorted = true;
    for (let k = 1; k < o.length && sorted; k++) sorted = cmp(o[k - 1], o[k]) < 0;
    if (sorted) order = o;
  }
  order ??= rows.map((_, i) => i).sort(cmp);
  const place = new Int32Array(rows.length);
  const out = new Array<Row>(rows.length);
  for (let p = 0; p < order.length; p++) (place[order[p]] = p), (out[p] = rows[order[p]]);
  lastSort.set(col, { desc, rows, keys, vals, order, place, out });
  return out;
}

/** The last sort with the changed rows put in, when none of them moved; undefined otherwise. */
function patch(col: Column<Row>, prev: LastSort, rows: readonly Row[], value: (r: Row) => Value, key: (r: Row) => string): readonly Row[] | undefined {
  if (prev.rows.length !== rows.length) return undefined;
  // Many changed rows are sorted afresh: checking each against its neighbours would cost more.
  const limit = 64 + (rows.length >> 4);
  const changed: number[] = [];
  for (let j = 0; j < rows.length; j++) {
    if (rows[j] === prev.rows[j]) continue;
    if (key(rows[j]) !== prev.keys[j] || changed.push(j) > limit) return undefined;
  }
  // The values are this memo's own (never handed out): the changed rows' are written in place
  // (a new 50k array per refresh costs more than the walk). Should a row move, the full sort
  // reads the old values of unchanged rows only.
  const vals = prev.vals as Value[];
  for (const j of changed) vals[j] = value(rows[j]);
  const cmp = comparator(vals, prev.keys, prev.desc);
  const { order, place } = prev;
  for (const j of changed) {
    const p = place[j];
    if ((p > 0 && cmp(order[p - 1], order[p]) >= 0) || (p + 1 < order.length && cmp(order[p], order[p + 1]) >= 0)) return undefined;
  }
  const out = prev.out.slice();
  for (const j of changed) out[place[j]] = rows[j];
  lastSort.set(col, { ...prev, rows, out });
  return out;
}
