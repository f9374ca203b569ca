// Columns several views share (namespace, name, age, node, pod readiness and status).
import type { Meta, PodRec } from '../store/records';
import { age } from '../util/time';
import type { Column } from './list';
import { podStatusTone } from './theme';

export const nsColumn = <R extends Meta>(): Column<R> => ({ name: 'NAMESPACE', cell: (r) => r.namespace, rowOnly: true, sortKey: 'P', search: true, namespaceColumn: true, min: 6, drop: 2 });

/** NAMESPACE of rows that live in a driver's namespace whatever the scope (mount pods, plugins): always shown. */
export const driverNsColumn = <R extends Meta>(): Column<R> => ({ ...nsColumn<R>(), namespaceColumn: false });

export const nameColumn = <R extends Meta>(min = 16): Column<R> => ({ name: 'NAME', cell: (r) => r.name, rowOnly: true, sortKey: 'N', search: true, min, cut: 'middle' });

export const ageColumn = <R extends Meta>(): Column<R> => ({ name: 'AGE', cell: (r, c) => age(c.now, r.created), sort: (r) => -r.created, sortKey: 'A', align: 'right' });

export const nodeColumn = <R extends { node: string }>(drop?: number): Column<R> => ({ name: 'NODE', cell: (r) => r.node, rowOnly: true, sortKey: 'O', search: true, min: 6, ...(drop ? { drop } : {}) });

export const readyColumn = <R extends PodRec>(): Column<R> => ({ name: 'READY', cell: (r) => `${r.readyCount}/${r.containerCount}`, rowOnly: true, sort: (r) => r.readyCount - r.containerCount, sortKey: 'R' });

export const statusColumn = <R extends PodRec>(): Column<R> => ({
  name: 'STATUS',
  cell: (r) => r.status,
  rowOnly: true,
  tone: (r) => podStatusTone(r.status, r.ready),
  sortKey: 'S',
  search: true,
});

export const restartsColumn = <R extends PodRec>(drop = 4): Column<R> => ({ name: 'RESTARTS', cell: (r) => String(r.restarts), rowOnly: true, sort: (r) => r.restarts, sortKey: 'T', align: 'right', drop });

/** A column over a pod reached through a row (plugin and controller rows wrap the pod). */
export function podColumn<R>(get: (r: R) => PodRec, base: Column<PodRec>): Column<R> {
  return {
    ...base,
    cell: (r, c) => base.cell(get(r), c),
    ...(base.tone ? { tone: (r, c) => base.tone!(get(r), c) } : {}),
    ...(base.sort ? { sort: (r, c) => base.sort!(get(r), c) } : {}),
  } as Column<R>;
}
