// `:sc` — storage classes: provisioner, whether expansion is allowed, binding mode, claims.
import type { StorageClassRec } from '../store/records';
import { claimsByStorageClass } from '../store/topology';
import { refOf } from '../store/topology/refs';
import type { ListSpec } from './list';
import { ageColumn, nameColumn } from './columns';

export const scView: ListSpec<StorageClassRec> = {
  name: 'sc',
  aliases: ['storageclass', 'storageclasses'],
  title: 'StorageClasses',
  description: 'storage classes: provisioner, expansion, binding mode',
  kinds: ['StorageClass', 'PersistentVolumeClaim'],
  rows: (store) => store.list('StorageClass'),
  columns: [
    { ...nameColumn<StorageClassRec>(), cell: (r) => `${r.name}${r.isDefault ? ' (default)' : ''}` },
    { name: 'PROVISIONER', cell: (r) => r.provisioner, sortKey: 'D', search: true, min: 10 },
    { name: 'RECLAIM', cell: (r) => r.reclaimPolicy, drop: 2 },
    { name: 'BINDING', cell: (r) => r.bindingMode, drop: 1 },
    { name: 'EXPANSION', cell: (r) => (r.allowVolumeExpansion ? 'yes' : 'no'), sortKey: 'E' },
    { name: 'PVCS', cell: (r, c) => String(claimsByStorageClass(c.store).get(r.name)?.length ?? 0), sort: (r, c) => claimsByStorageClass(c.store).get(r.name)?.length ?? 0, align: 'right' },
    ageColumn(),
  ],
  rowKey: (r) => r.uid,
  ref: refOf,
  labels: (r) => r.labels,
  tone: (r, c) => c.findings.worst(r),
  defaultSort: { column: 'NAME' },
  empty: 'no StorageClasses',
};
