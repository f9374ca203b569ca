// sortRows keeps the last order and puts changed rows in when they did not move: the result
// must always be the order a full sort gives, and the full sort must really be skipped.
import { describe, expect, it } from 'vitest';
import { sortRows } from '../../src/views/sort-rows';
import type { Column, RowCtx } from '../../src/views/list';
import { rng } from '../helpers/rng';

interface Row {
  readonly uid: string;
  readonly name: string;
  readonly restarts: number;
}

const ctx = {} as RowCtx;
const key = (r: unknown) => (r as Row).uid;

function reference(rows: readonly Row[], value: (r: Row) => string | number, desc: boolean): Row[] {
  return [...rows].sort((a, b) => {
    const x = value(a);
    const y = value(b);
    const c = typeof x === 'number' && typeof y === 'number' ? x - y : String(x) < String(y) ? -1 : String(x) > String(y) ? 1 : 0;
    if (c !== 0) return desc ? -c : c;
    return a.uid < b.uid ? -1 : a.uid > b.uid ? 1 : 0;
  });
}


describe('sortRows', () => {
  it.each([
    ['by name (the cell)', false, false],
    ['by name, descending', false, true],
    ['by restarts (a sort value)', true, false],
    ['by restarts, descending', true, true],
  ])('gives the full sort order after any mix of updates, deletions and additions: %s', (_, byRestarts, desc) => {
    const rand = rng(byRestarts ? 5 : 9);
    let calls = 0;
    const col: Column<Row> = byRestarts
      ? { name: 'RESTARTS', cell: (r) => String(r.restarts), sort: (r) => (calls++, r.restarts), rowOnly: true }
      : { name: 'NAME', cell: (r) => (calls++, r.name), rowOnly: true };
    const value = (r: Row) => (byRestarts ? r.restarts : r.name.toLowerCase());
    let n = 0;
    const fresh = (): Row => ({ uid: `u${n++}`, name: `Pod-${rand(50)}`, restarts: rand(5) });
    let rows = Array.from({ length: 60 }, fresh);
    for (let round = 0; round < 400; round++) {
      // Mostly updates in place that keep the sort value (as churn does), sometimes one that
      // moves a row, a deletion or an addition.
      rows = rows.map((r) => (rand(10) === 0 ? { ...r, ...(rand(8) === 0 ? (byRestarts ? { restarts: rand(5) } : { name: `Pod-${rand(50)}` }) : {}) } : r));
      if (rand(10) === 0) rows.splice(rand(rows.length), 1);
      if (rand(10) === 0) rows.push(fresh());
      calls = 0;
      const got = sortRows(rows, col as Column<unknown>, desc, ctx, key);
      expect((got as Row[]).map((r) => r.uid)).toEqual(reference(rows, value, desc).map((r) => r.uid));
      expect(new Set(got).size).toBe(rows.length);
      expect(got.every((r) => rows.includes(r as Row))).toBe(true);
      expect(calls).toBeLessThanOrEqual(rows.length);
    }
  });

  it('reads only the changed rows when none moved', () => {
    let calls = 0;
    const col: Column<Row> = { name: 'NAME', cell: (r) => (calls++, r.name), rowOnly: true };
    const rows: Row[] = Array.from({ length: 1000 }, (_, i) => ({ uid: `u${i}`, name: `p${String(i).padStart(4, '0')}`, restarts: 0 }));
    const first = sortRows(rows, col as Column<unknown>, false, ctx, key);
    const next = rows.map((r, i) => (i % 100 === 7 ? { ...r, restarts: 1 } : r));
    calls = 0;
    const got = sortRows(next, col as Column<unknown>, false, ctx, key);
    expect(calls).toBe(10);
    expect(got).not.toBe(first);
    expect(got).toEqual(next);
    expect(first).toEqual(rows); // the last result is not changed under its holder
  });

  it('reads every row again for a column that reads more than the row', () => {
    let calls = 0;
    const col: Column<Row> = { name: 'NAME', cell: (r) => (calls++, r.name) };
    const rows: Row[] = Array.from({ length: 100 }, (_, i) => ({ uid: `u${i}`, name: `p${String(i).padStart(3, '0')}`, restarts: 0 }));
    sortRows(rows, col as Column<unknown>, false, ctx, key);
    calls = 0;
    sortRows(rows.map((r, i) => (i === 3 ? { ...r } : r)), col as Column<unknown>, false, ctx, key);
    expect(calls).toBe(100);
  });
});
