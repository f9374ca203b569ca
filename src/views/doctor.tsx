// `:doctor` — every finding, errors first: code, object, node, driver, message. Enter opens the
// object, whose detail shows the evidence and the pods it affects.
import type { Finding } from '../store/verdicts';
import { refKey } from '../store/topology/refs';
import type { ListSpec } from './list';
import { shortKind } from './kinds';
import { findingsView } from './selectors/findings';
import { findingInScope } from '../store/scope';

const SEV = { error: 0, warning: 1, info: 2 } as const;

export const doctorView: ListSpec<Finding> = {
  name: 'doctor',
  aliases: ['findings', 'dr'],
  title: 'Findings',
  description: 'everything csi-top finds wrong, errors first',
  kinds: ['Pod', 'PersistentVolumeClaim', 'PersistentVolume', 'StorageClass', 'CSIDriver', 'CSINode', 'VolumeAttachment', 'Node', 'Event', 'DaemonSet', 'Lease'],
  rows: (store) => findingsView(store).all,
  usesFindings: true,
  inScope: (f, scope) => findingInScope(f, scope),
  columns: [
    { name: 'SEVERITY', cell: (f) => f.severity, tone: (f) => f.severity, sort: (f) => SEV[f.severity], sortKey: 'S', drop: 5 },
    { name: 'CODE', cell: (f) => f.code, sortKey: 'C', search: true },
    { name: 'OBJECT', cell: (f) => `${shortKind(f.object.kind)}/${f.object.namespace ? `${f.object.namespace}/` : ''}${f.object.name}`, sortKey: 'O', search: true, min: 24, max: 40, cut: 'middle' },
    { name: 'NODE', cell: (f) => f.node ?? '', search: true, drop: 3 },
    { name: 'AFFECTS', cell: (f) => (f.affects.length ? String(f.affects.length) : ''), sort: (f) => f.affects.length, align: 'right', drop: 4 },
    { name: 'MESSAGE', cell: (f) => f.message, search: true, min: 20 },
  ],
  rowKey: (f) => `${f.code}|${refKey(f.object)}`,
  ref: (f) => f.object,
  tone: (f) => f.severity,
  defaultSort: { column: 'SEVERITY' },
  empty: 'no findings: every driver, claim and mount looks healthy',
};
