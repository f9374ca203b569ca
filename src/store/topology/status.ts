// One short status text per record, as the chain, the related lists and `doctor` show it.
import type { AnyRecord } from '../records';

export function statusText(r: AnyRecord): string {
  switch (r.kind) {
    case 'Pod': {
      const restarts = r.restarts ? `, ${r.restarts} restart${r.restarts === 1 ? '' : 's'}` : '';
      return `${r.status} ${r.readyCount}/${r.containerCount}${restarts}`;
    }
    case 'PersistentVolumeClaim':
      return [r.phase, r.capacity || r.requested].filter(Boolean).join(' ');
    case 'PersistentVolume':
      return [r.phase, r.capacity].filter(Boolean).join(' ');
    case 'StorageClass':
      return r.provisioner;
    case 'CSIDriver':
      return r.attachRequired ? 'attach required' : 'no attach';
    case 'CSINode':
      return r.drivers.map((d) => d.name).join(', ') || 'no drivers';
    case 'VolumeAttachment':
      return r.attached ? `attached to ${r.node}` : r.attachError ? `attach error: ${r.attachError}` : r.detachError ? `detach error: ${r.detachError}` : 'attaching';
    case 'Node':
      return r.ready === 'True' ? (r.unschedulable ? 'Ready,SchedulingDisabled' : 'Ready') : r.ready === 'False' ? 'NotReady' : 'Unknown';
    case 'Lease':
      return r.holder ? `held by ${r.holder}` : 'not held';
    case 'Event':
      return `${r.type} ${r.reason}`;
    case 'DaemonSet':
    case 'StatefulSet':
    case 'Deployment':
    case 'ReplicaSet':
      return `${r.ready}/${r.desired} ready`;
    case 'Namespace':
      return r.phase;
  }
}
