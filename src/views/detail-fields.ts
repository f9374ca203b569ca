// The key fields of each kind for the detail view, as label/value pairs (like `kubectl describe`'s
// top block, only what triage needs). Pure functions of the record and the store.
import type { AnyRecord, PodRec } from '../store/records';
import type { StoreReader } from '../store/store';
import { driverIndex } from '../store/topology';
import { age, ago } from '../util/time';
import type { Tone } from './theme';
import { phaseProblem } from './theme';
import { claimResize, pendingAdvice } from '../actions/resize-state';
import { isActivePod } from '../store/topology/pod-index';

export interface Field {
  readonly label: string;
  readonly value: string;
  readonly tone?: Tone;
}

const f = (label: string, value: string | number | undefined | null, tone?: Tone): Field | undefined =>
  value === undefined || value === null || value === '' ? undefined : { label, value: String(value), ...(tone ? { tone } : {}) };

function clean(fs: (Field | undefined)[]): Field[] {
  return fs.filter((x): x is Field => !!x);
}

const labelsText = (l: Readonly<Record<string, string>>) =>
  Object.entries(l)
    .map(([k, v]) => (v ? `${k}=${v}` : k))
    .join(', ');

function podRole(store: StoreReader, p: PodRec): string {
  const cls = driverIndex(store).classOf(p);
  const role = { app: 'app pod', mountPod: 'mount pod', nodePlugin: 'node plugin', controller: 'controller', other: '' }[cls.role];
  if (!role) return '';
  return cls.driver ? `${role} of ${cls.driver}${cls.mountSidecar ? ` (mount sidecar ${cls.mountSidecar})` : ''}` : role;
}

export function keyFields(store: StoreReader, r: AnyRecord, now: number): Field[] {
  const common = [f('Age', age(now, r.created)), f('Deleting', r.deleting ? `since ${ago(now, r.deleting)}` : '', 'warning')];
  const owner = r.owner ? f('Owner', `${r.owner.kind}/${r.owner.name}`) : undefined;
  switch (r.kind) {
    case 'Pod':
      return clean([
        f('Status', [r.status, r.reason && r.reason !== r.status ? r.reason : ''].filter(Boolean).join(' · ')),
        f('Message', r.message),
        f('Node', r.node || '(not scheduled)'),
        f('Ready', `${r.readyCount}/${r.containerCount}`),
        f('Restarts', r.restarts || undefined),
        f('Role', podRole(store, r)),
        f('Volumes', r.volumes.map((v) => (v.claim ? `${v.name}→pvc/${v.claim}` : v.csiDriver ? `${v.name}→inline ${v.csiDriver}` : v.name)).join(', ')),
        owner,
        f('Host IP', r.hostIP),
        ...common,
      ]);
    case 'PersistentVolumeClaim': {
      const resize = claimResize(store, r, now);
      const advice = resize.stage === 'fs-pending' ? pendingAdvice(store.podsUsingClaim(r.namespace, r.name).filter(isActivePod)) : '';
      return clean([
        f('Status', r.phase, phaseProblem(r.phase)),
        f('Volume', r.volumeName || '(none yet)'),
        f('Capacity', r.capacity || '-'),
        f('Requested', r.requested),
        f('Allocated', r.allocated && r.allocated !== r.capacity ? r.allocated : ''),
        f('Resize', resize.text ? `${resize.text}${resize.explain ? `: ${resize.explain}` : ''}${r.resizeStatus ? ` (${r.resizeStatus})` : ''}${advice ? `; ${advice}` : ''}` : r.resizeStatus, resize.tone),
        f('Resize error', resize.stage === 'failed' ? resize.message : '', 'error'),
        f('StorageClass', r.storageClass),
        f('Provisioner', r.provisioner),
        f('Access', [r.accessModes.join(','), r.volumeMode].filter(Boolean).join(' ')),
        f('Selected node', r.selectedNode),
        ...common,
      ]);
    }
    case 'PersistentVolume':
      return clean([
        f('Status', `${r.phase}${r.phaseSince ? ` for ${age(now, r.phaseSince)}` : ''}`, phaseProblem(r.phase)),
        f('Reason', [r.reason, r.message].filter(Boolean).join(': ')),
        f('Capacity', r.capacity),
        f('Driver', r.driver || (r.source ? `in-tree ${r.source}` : '')),
        f('Handle', r.volumeHandle),
        f('Claim', r.claim ? `${r.claim.namespace}/${r.claim.name}` : '(unclaimed)'),
        f('StorageClass', r.storageClass),
        f('Reclaim', r.reclaimPolicy),
        f('Access', [r.accessModes.join(','), r.volumeMode].filter(Boolean).join(' ')),
        f('Attributes', labelsText(r.attributes)),
        ...common,
      ]);
    case 'StorageClass':
      return clean([
        f('Provisioner', r.provisioner),
        f('Default', r.isDefault ? 'yes' : ''),
        f('Expansion', r.allowVolumeExpansion ? 'allowed' : 'not allowed'),
        f('Reclaim', r.reclaimPolicy),
        f('Binding', r.bindingMode),
        f('Parameters', labelsText(r.parameters)),
        ...common,
      ]);
    case 'CSIDriver':
      return clean([
        f('Attach', r.attachRequired ? 'required (VolumeAttachments)' : 'not required'),
        f('Pod info', r.podInfoOnMount ? 'on mount' : ''),
        f('Modes', r.lifecycleModes.join(', ')),
        f('fsGroup', r.fsGroupPolicy),
        f('Capacity', r.storageCapacity ? 'tracked' : ''),
        f('Republish', r.requiresRepublish ? 'yes' : ''),
        ...common,
      ]);
    case 'CSINode':
      return clean([f('Drivers', r.drivers.map((d) => `${d.name} (node id ${d.nodeID}${d.allocatable !== undefined ? `, max ${d.allocatable} volumes` : ''})`).join('; ') || 'none registered', r.drivers.length ? undefined : 'warning'), ...common]);
    case 'VolumeAttachment':
      return clean([
        f('Attached', r.attached ? 'yes' : 'no', r.attached ? undefined : 'warning'),
        f('Attach error', r.attachError ? `${r.attachError}${r.attachErrorTime ? ` (${ago(now, r.attachErrorTime)})` : ''}` : '', 'error'),
        f('Detach error', r.detachError, 'error'),
        f('Attacher', r.attacher),
        f('PV', r.pv),
        f('Node', r.node),
        ...common,
      ]);
    case 'Node':
      return clean([
        f('Ready', `${r.ready}${r.readyReason ? ` (${r.readyReason})` : ''}`, r.ready === 'True' ? undefined : 'error'),
        f('Message', r.ready === 'True' ? '' : r.readyMessage),
        f('Schedulable', r.unschedulable ? 'no (cordoned)' : 'yes', r.unschedulable ? 'warning' : undefined),
        f('Taints', r.taints.map((t) => `${t.key}${t.value ? `=${t.value}` : ''}:${t.effect}`).join(', ')),
        f('Kubelet', r.kubeletVersion),
        ...common,
      ]);
    case 'Event':
      return clean([
        f('Type', r.type, r.type === 'Warning' ? 'warning' : undefined),
        f('Reason', r.reason),
        f('Object', `${r.involved.kind} ${r.involved.namespace ? `${r.involved.namespace}/` : ''}${r.involved.name}`),
        f('Count', r.count),
        f('First', ago(now, r.first)),
        f('Last', ago(now, r.last)),
        f('Source', r.source),
      ]);
    case 'Lease':
      return clean([f('Holder', r.holder || '(none)'), f('Renewed', r.renewTime ? ago(now, r.renewTime) : ''), f('Duration', r.durationSeconds ? `${r.durationSeconds}s` : ''), ...common]);
    case 'DaemonSet':
    case 'StatefulSet':
    case 'Deployment':
    case 'ReplicaSet':
      return clean([f('Ready', `${r.ready}/${r.desired}`, r.ready < r.desired ? 'warning' : undefined), f('Available', r.available), f('Updated', r.updated), owner, ...common]);
    case 'Namespace':
      return clean([f('Phase', r.phase), ...common]);
  }
}

export { labelsText };
