// `:pvc` — claims with their volume, capacity against request, class, expansion state and the
// pods using them.
import type { PVCRec } from '../store/records';
import { refOf } from '../store/topology/refs';
import { quantityBytes } from '../util/quantity';
import type { ListSpec } from './list';
import { ageColumn, nameColumn, nsColumn } from './columns';
import { phaseProblem, worse } from './theme';
import { claimResize } from '../actions/resize-state';
import { usageColumns } from './selectors/usage';

export const pvcView: ListSpec<PVCRec> = {
  name: 'pvc',
  aliases: ['pvcs', 'claims', 'persistentvolumeclaims'],
  title: 'PVCs',
  description: 'persistent volume claims, with resize state and pods',
  kinds: ['PersistentVolumeClaim', 'Pod', 'Event'],
  rows: (store) => store.list('PersistentVolumeClaim'),
  columns: [
    nsColumn(),
    nameColumn(),
    { name: 'STATUS', cell: (r) => r.phase, tone: (r) => phaseProblem(r.phase), sortKey: 'S', search: true },
    { name: 'VOLUME', cell: (r) => r.volumeName, sortKey: 'V', search: true, min: 8, max: 44, drop: 3 },
    { name: 'CAPACITY', cell: (r) => r.capacity, sort: (r) => quantityBytes(r.capacity) || 0, sortKey: 'C', align: 'right' },
    { name: 'REQUESTED', cell: (r) => r.requested, sort: (r) => quantityBytes(r.requested) || 0, align: 'right', drop: 5 },
    { name: 'SC', cell: (r) => r.storageClass, sortKey: 'K', search: true, min: 8, max: 24, drop: 2 },
    ...usageColumns<PVCRec>((r, c, cell) => cell(c.usage, r.namespace, r.name), { used: 1, inodes: 6 }),
    { name: 'RESIZE', cell: (r, c) => claimResize(c.store, r, c.now).text, tone: (r, c) => claimResize(c.store, r, c.now).tone, sortKey: 'Z', min: 10 },
    { name: 'PODS', cell: (r, c) => String(c.store.podsUsingClaim(r.namespace, r.name).length), sort: (r, c) => c.store.podsUsingClaim(r.namespace, r.name).length, align: 'right', drop: 4 },
    ageColumn(),
  ],
  usageKeys: (r) => [`${r.namespace}/${r.name}`],
  rowKey: (r) => r.uid,
  ref: refOf,
  labels: (r) => r.labels,
  tone: (r, c) => {
    return worse(worse(phaseProblem(r.phase), claimResize(c.store, r, c.now).tone), c.findings.worst(r));
  },
  defaultSort: { column: 'NAME' },
  empty: 'no PersistentVolumeClaims',
};
