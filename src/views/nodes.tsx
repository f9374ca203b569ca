// `:nodes` — nodes with what storage needs of them: Ready, the drivers kubelet registered
// (CSINode), node plugins ready, mount pods and app pods with volumes.
import type { NodeRec } from '../store/records';
import { driverIndex } from '../store/topology';
import { hasActiveVolumes } from '../store/topology/pod-index';
import { refOf } from '../store/topology/refs';
import type { StoreReader } from '../store/store';
import type { ListSpec } from './list';
import { ageColumn, nameColumn } from './columns';
import { worse } from './theme';

function plugins(store: StoreReader, node: string) {
  const idx = driverIndex(store);
  const pods = store.podsOnNode(node);
  const ps = pods.filter((p) => idx.classOf(p).role === 'nodePlugin');
  const ms = pods.filter((p) => idx.classOf(p).role === 'mountPod');
  const ok = (x: typeof pods) => x.filter((p) => p.ready && p.phase === 'Running').length;
  return { plugins: `${ok(ps)}/${ps.length}`, pluginsBad: ok(ps) < ps.length, mounts: ms.length ? `${ok(ms)}/${ms.length}` : '', mountsBad: ok(ms) < ms.length };
}

export const nodesView: ListSpec<NodeRec> = {
  name: 'nodes',
  aliases: ['no', 'node'],
  title: 'Nodes',
  description: 'nodes: Ready, registered drivers, plugins, mount pods',
  kinds: ['Node', 'CSINode', 'Pod', 'Lease', 'CSIDriver', 'PersistentVolumeClaim', 'PersistentVolume', 'StorageClass'],
  rows: (store) => store.list('Node'),
  columns: [
    nameColumn(10),
    {
      name: 'STATUS',
      cell: (n) => (n.ready === 'True' ? (n.unschedulable ? 'Ready,SchedulingDisabled' : 'Ready') : n.ready === 'False' ? 'NotReady' : 'Unknown'),
      tone: (n) => (n.ready !== 'True' ? 'error' : n.unschedulable ? 'warning' : undefined),
      sortKey: 'S',
      search: true,
    },
    { name: 'DRIVERS', cell: (n, c) => (c.store.get('CSINode', '', n.name)?.drivers.map((d) => d.name).join(',') ?? '(no CSINode)'), search: true, min: 10, max: 60, drop: 1 },
    { name: 'PLUGINS', cell: (n, c) => plugins(c.store, n.name).plugins, tone: (n, c) => (plugins(c.store, n.name).pluginsBad ? 'warning' : undefined) },
    { name: 'MOUNTS', cell: (n, c) => plugins(c.store, n.name).mounts, tone: (n, c) => (plugins(c.store, n.name).mountsBad ? 'warning' : undefined), drop: 3 },
    { name: 'APP PODS', cell: (n, c) => String(c.store.podsOnNode(n.name).filter(hasActiveVolumes).length), align: 'right', drop: 2 },
    { name: 'VERSION', cell: (n) => n.kubeletVersion, drop: 4 },
    ageColumn(),
  ],
  rowKey: (n) => n.uid,
  ref: refOf,
  labels: (n) => n.labels,
  tone: (n, c) => worse(n.ready !== 'True' ? 'error' : undefined, c.findings.worst(n)),
  defaultSort: { column: 'NAME' },
  empty: 'no nodes visible',
};
