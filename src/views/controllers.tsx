// `:controllers` — CSI controller pods (provisioner, attacher, resizer sidecars) per driver, and
// which replica holds the leader leases (the one whose logs matter).
import { driverIndex } from '../store/topology';
import { refOf } from '../store/topology/refs';
import type { ListSpec } from './list';
import { podTone } from './selectors/rows';
import { componentColumns, componentRows, type PluginRow } from './plugins';
import type { StoreReader } from '../store/store';

function leader(store: StoreReader, r: PluginRow): string {
  const d = driverIndex(store).drivers.get(r.driver);
  const held = (d?.leases ?? []).filter((l) => l.holder === r.pod).map((l) => l.sidecar);
  return held.join(',');
}

export const controllersView: ListSpec<PluginRow> = {
  name: 'controllers',
  aliases: ['controller', 'ctrl'],
  title: 'Controllers',
  description: 'CSI controller pods and their leader leases',
  kinds: ['Pod', 'Lease', 'CSIDriver', 'CSINode', 'PersistentVolume', 'StorageClass'],
  rows: (store) => componentRows(store, (d) => d.controllers),
  columns: componentColumns([{ name: 'LEADER', cell: (r, c) => leader(c.store, r), sortKey: 'L', min: 6, max: 40, drop: 1 }], 3, 2),
  rowKey: (r) => `${r.pod.uid}/${r.driver}`,
  ref: (r) => refOf(r.pod),
  labels: (r) => r.pod.labels,
  tone: (r, c) => podTone(r.pod, c.findings),
  defaultSort: { column: 'DRIVER' },
  empty: 'no CSI controller pods found',
};
