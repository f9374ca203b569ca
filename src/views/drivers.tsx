// `:drivers` — every CSI driver csi-top found: its profile, node plugins ready against nodes,
// nodes where kubelet registered it, controllers ready, mount pods, volumes and findings.
import type { DriverInfo } from '../store/topology';
import type { PodRec } from '../store/records';
import { driverIndex } from '../store/topology';
import type { ListSpec, RowCtx } from './list';
import type { Tone } from './theme';

const ready = (ps: readonly PodRec[]) => ps.filter((p) => p.ready && p.phase === 'Running').length;
const ratio = (a: number, b: number) => `${a}/${b}`;
const findingsOf = (d: DriverInfo, c: RowCtx) => c.findings.all.filter((f) => f.driver === d.name);

export const driversView: ListSpec<DriverInfo> = {
  name: 'drivers',
  aliases: ['driver', 'csidrivers', 'csidriver'],
  title: 'Drivers',
  description: 'CSI drivers: plugins, registrations, controllers, findings',
  kinds: ['Pod', 'CSIDriver', 'CSINode', 'Lease', 'PersistentVolume', 'StorageClass', 'Node'],
  rows: (store) => [...driverIndex(store).drivers.values()],
  columns: [
    { name: 'NAME', cell: (d) => d.name, sortKey: 'N', search: true, min: 14 },
    { name: 'PROFILE', cell: (d) => d.profile.id, search: true, drop: 3 },
    { name: 'PLUGINS', cell: (d) => ratio(ready(d.nodePlugins), d.nodePlugins.length), tone: (d) => (ready(d.nodePlugins) < d.nodePlugins.length ? 'warning' : undefined) },
    { name: 'REGISTERED', cell: (d, c) => ratio(d.registeredNodes.length, c.store.count('Node')), sortKey: 'E' },
    { name: 'CONTROLLERS', cell: (d) => ratio(ready(d.controllers), d.controllers.length), tone: (d) => (d.controllers.length && ready(d.controllers) === 0 ? 'error' : undefined) },
    { name: 'MOUNTS', cell: (d) => (d.profile.mountPods ? ratio(ready(d.mountPods), d.mountPods.length) : '-'), drop: 2 },
    { name: 'PVS', cell: (d, c) => String(c.store.pvsByDriver(d.name).length), sort: (d, c) => c.store.pvsByDriver(d.name).length, align: 'right', drop: 1 },
    {
      name: 'FINDINGS',
      cell: (d, c) => {
        const fs = findingsOf(d, c);
        const e = fs.filter((f) => f.severity === 'error').length;
        return fs.length ? `${fs.length}${e ? ` (${e} err)` : ''}` : '';
      },
      sort: (d, c) => -findingsOf(d, c).length,
      sortKey: 'F',
    },
  ],
  rowKey: (d) => d.name,
  ref: (d) => ({ kind: 'CSIDriver', namespace: '', name: d.name }),
  tone: (d, c) => findingsOf(d, c).reduce<Tone | undefined>((t, f) => (t === 'error' ? t : f.severity === 'info' ? t : f.severity), undefined),
  defaultSort: { column: 'NAME' },
  empty: 'no CSI driver found',
};
