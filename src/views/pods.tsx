// `:pods` — app pods that use PVCs or CSI volumes, with the facts that explain a stuck mount:
// which claims, which driver, the mount pods serving them, and a verdict marker.
import type { PodRec } from '../store/records';
import { appPods, mountSummary, podClaims, podDrivers, podTone } from './selectors/rows';
import type { ListSpec } from './list';
import { refOf } from '../store/topology/refs';
import { ageColumn, nameColumn, nodeColumn, nsColumn, readyColumn, restartsColumn, statusColumn } from './columns';
import { podCell, podUsageKeys, usageColumns } from './selectors/usage';

export const podsView: ListSpec<PodRec> = {
  name: 'pods',
  aliases: ['po', 'pod'],
  title: 'Pods',
  description: 'app pods using PVCs or CSI volumes',
  kinds: ['Pod', 'PersistentVolumeClaim', 'PersistentVolume', 'StorageClass', 'CSIDriver', 'CSINode', 'Lease'],
  rows: appPods,
  columns: [
    { ...nsColumn<PodRec>(), drop: 5 },
    nameColumn(22),
    readyColumn(),
    statusColumn(),
    restartsColumn(6),
    nodeColumn(2),
    { name: 'PVCS', cell: (p) => podClaims(p), search: true, min: 6, max: 40, drop: 3 },
    { name: 'DRIVER', cell: (p, c) => podDrivers(c.store, p), sortKey: 'D', search: true, min: 8, max: 28, drop: 4 },
    {
      name: 'MOUNT PODS',
      cell: (p, c) => mountSummary(c.store, p).text,
      tone: (p, c) => mountSummary(c.store, p).tone,
      sortKey: 'M',
      min: 12,
      max: 24,
    },
    ...usageColumns<PodRec>((p, c, cell) => podCell(c.usage, p, cell), { used: 4, inodes: 7 }),
    ageColumn(),
  ],
  usageKeys: podUsageKeys,
  rowKey: (p) => p.uid,
  ref: refOf,
  labels: (p) => p.labels,
  tone: (p, c) => podTone(p, c.findings),
  defaultSort: { column: 'NAME' },
  empty: 'no app pod uses a PVC or CSI volume here',
};
