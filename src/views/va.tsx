// `:va` — VolumeAttachments (drivers with attachRequired): attached or not, and the error.
import type { VolumeAttachmentRec } from '../store/records';
import { refOf } from '../store/topology/refs';
import type { ListSpec } from './list';
import { ageColumn, nameColumn, nodeColumn } from './columns';
import { recordTone } from './kinds';
import { worse } from './theme';

export const vaView: ListSpec<VolumeAttachmentRec> = {
  name: 'va',
  aliases: ['volumeattachment', 'volumeattachments', 'attachments'],
  title: 'VolumeAttachments',
  description: 'volume attachments and their errors',
  kinds: ['VolumeAttachment'],
  rows: (store) => store.list('VolumeAttachment'),
  columns: [
    nameColumn(12),
    { name: 'ATTACHER', cell: (r) => r.attacher, sortKey: 'D', search: true, min: 8, max: 28, drop: 2 },
    { name: 'PV', cell: (r) => r.pv, sortKey: 'V', search: true, min: 10, max: 44 },
    nodeColumn(),
    { name: 'ATTACHED', cell: (r) => (r.attached ? 'true' : 'false'), tone: (r) => (r.attached ? undefined : 'warning'), sortKey: 'T' },
    { name: 'ERROR', cell: (r) => r.attachError || r.detachError, tone: () => 'error', search: true, min: 10, drop: 1 },
    ageColumn(),
  ],
  rowKey: (r) => r.uid,
  ref: refOf,
  labels: (r) => r.labels,
  tone: (r, c) => worse(recordTone(r), c.findings.worst(r)),
  defaultSort: { column: 'NAME' },
  empty: 'no VolumeAttachments (drivers here do not require attach, or nothing is attached)',
};
