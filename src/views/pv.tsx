// `:pv` — persistent volumes: phase, capacity, claim, class, driver, reclaim policy.
import type { PVRec } from '../store/records';
import { refOf } from '../store/topology/refs';
import { quantityBytes } from '../util/quantity';
import type { ListSpec } from './list';
import { ageColumn, nameColumn } from './columns';
import { phaseProblem, worse } from './theme';

export const pvView: ListSpec<PVRec> = {
  name: 'pv',
  aliases: ['pvs', 'volumes', 'persistentvolumes'],
  title: 'PVs',
  description: 'persistent volumes with claim, driver and reclaim policy',
  kinds: ['PersistentVolume'],
  rows: (store) => store.list('PersistentVolume'),
  columns: [
    nameColumn(),
    { name: 'CAPACITY', cell: (r) => r.capacity, sort: (r) => quantityBytes(r.capacity) || 0, sortKey: 'C', align: 'right' },
    { name: 'STATUS', cell: (r) => r.phase, tone: (r) => phaseProblem(r.phase), sortKey: 'S', search: true },
    { name: 'CLAIM', cell: (r) => (r.claim ? `${r.claim.namespace}/${r.claim.name}` : ''), search: true, min: 10, max: 40 },
    { name: 'SC', cell: (r) => r.storageClass, sortKey: 'K', search: true, min: 6, max: 24, drop: 2 },
    { name: 'DRIVER', cell: (r) => r.driver || (r.source ? `(${r.source})` : ''), sortKey: 'D', search: true, min: 8, max: 28, drop: 1 },
    { name: 'RECLAIM', cell: (r) => r.reclaimPolicy, drop: 3 },
    ageColumn(),
  ],
  rowKey: (r) => r.uid,
  ref: refOf,
  labels: (r) => r.labels,
  tone: (r, c) => worse(phaseProblem(r.phase), c.findings.worst(r)),
  defaultSort: { column: 'NAME' },
  empty: 'no PersistentVolumes',
};
