// `:plugins` — node plugin pods of every CSI driver, one per node, and whether kubelet has the
// driver registered on that node (CSINode): a running plugin whose driver is not registered
// cannot mount anything.
import type { PodRec } from '../store/records';
import { driverIndex } from '../store/topology';
import { refOf } from '../store/topology/refs';
import type { Column, ListSpec } from './list';
import type { DriverInfo } from '../store/topology';
import { ageColumn, nodeColumn, driverNsColumn, podColumn, readyColumn, restartsColumn, statusColumn, nameColumn } from './columns';
import { podTone } from './selectors/rows';
import type { StoreReader } from '../store/store';

export interface PluginRow {
  readonly pod: PodRec;
  readonly driver: string;
}

export function registration(store: StoreReader, r: PluginRow): string {
  const reg = driverIndex(store).registered(r.driver, r.pod.node);
  return reg === undefined ? (r.pod.node ? 'no CSINode' : '-') : reg ? 'yes' : 'NO';
}

const pod = (r: PluginRow) => r.pod;

/** Rows of one kind of driver component (node plugins, controllers), one per pod and driver. */
export function componentRows(store: StoreReader, pick: (d: DriverInfo) => readonly PodRec[]): PluginRow[] {
  const out: PluginRow[] = [];
  for (const d of driverIndex(store).drivers.values()) for (const p of pick(d)) out.push({ pod: p, driver: d.name });
  return out;
}

/** DRIVER and the pod's columns, with the view's own columns before AGE. */
export function componentColumns(own: readonly Column<PluginRow>[], nodeDrop?: number, restartsDrop = 4): Column<PluginRow>[] {
  return [
    { name: 'DRIVER', cell: (r) => r.driver, sortKey: 'D', search: true, min: 12, max: 30 },
    podColumn(pod, driverNsColumn()),
    podColumn(pod, nameColumn()),
    podColumn(pod, nodeColumn(nodeDrop)),
    podColumn(pod, readyColumn()),
    podColumn(pod, statusColumn()),
    podColumn(pod, restartsColumn(restartsDrop)),
    ...own,
    podColumn(pod, ageColumn()),
  ];
}

export const pluginsView: ListSpec<PluginRow> = {
  name: 'plugins',
  aliases: ['plugin', 'nodeplugins', 'np'],
  title: 'Node plugins',
  description: 'node plugin pods of every driver, with CSINode registration',
  kinds: ['Pod', 'CSINode', 'CSIDriver', 'Lease', 'PersistentVolume', 'StorageClass'],
  rows: (store) => componentRows(store, (d) => d.nodePlugins),
  columns: componentColumns([
    {
      name: 'REGISTERED',
      cell: (r, c) => registration(c.store, r),
      tone: (r, c) => (registration(c.store, r) === 'NO' ? 'error' : undefined),
      sortKey: 'E',
    },
  ]),
  rowKey: (r) => `${r.pod.uid}/${r.driver}`,
  ref: (r) => refOf(r.pod),
  labels: (r) => r.pod.labels,
  tone: (r, c) => podTone(r.pod, c.findings) ?? (registration(c.store, r) === 'NO' ? 'error' : undefined),
  defaultSort: { column: 'DRIVER' },
  empty: 'no node plugin pods found (no CSI driver installed, or pods not visible)',
};
