// `:mounts` — mount pods (JuiceFS mount pod mode, or any driver whose client runs in its own
// pod): where they run, their state, how many app pods they serve and which volume.
import type { PodRec } from '../store/records';
import { appPodsOfMountPod, mountIndex, pvsOfMountPod } from '../store/topology';
import { refOf } from '../store/topology/refs';
import type { ListSpec } from './list';
import { ageColumn, nameColumn, nodeColumn, driverNsColumn, readyColumn, restartsColumn, statusColumn } from './columns';
import { podTone } from './selectors/rows';

export const mountsView: ListSpec<PodRec> = {
  name: 'mounts',
  aliases: ['mount', 'mp', 'mountpods'],
  title: 'Mount pods',
  description: 'mount pods (JuiceFS) and the app pods they serve',
  kinds: ['Pod', 'PersistentVolume'],
  rows: (store) => mountIndex(store).all,
  // The driver's namespace holds the mount pods; in a namespace's scope, those serving its pods.
  inScope: (p, scope, store) => p.namespace === scope || appPodsOfMountPod(store, p).some((a) => a.namespace === scope),
  columns: [
    driverNsColumn(),
    nameColumn(20),
    nodeColumn(),
    readyColumn(),
    statusColumn(),
    restartsColumn(0),
    { name: 'APP PODS', cell: (p, c) => String(appPodsOfMountPod(c.store, p).length), sort: (p, c) => appPodsOfMountPod(c.store, p).length, sortKey: 'U', align: 'right' },
    {
      name: 'PV/UNIQUE ID',
      cell: (p, c) => {
        const pvs = pvsOfMountPod(c.store, p).map((v) => v.name);
        return pvs.length ? pvs.join(',') : (mountIndex(c.store).hooksOf(p)?.uniqueId(p) ?? '');
      },
      search: true,
      min: 10,
      max: 40,
      drop: 1,
    },
    ageColumn(),
  ],
  rowKey: (p) => p.uid,
  ref: refOf,
  labels: (p) => p.labels,
  tone: (p, c) => podTone(p, c.findings),
  defaultSort: { column: 'NODE' },
  empty: 'no mount pods: no driver here runs its client in separate pods',
};
