// A PVC's expansion state in one word, from its conditions, allocatedResourceStatuses and the
// request/capacity difference (seed 002: requested → controller expanding → file system resize
// pending until a pod mounts it → done, or failed).
import type { PVCRec } from '../../store/records';
import { quantityBytes } from '../../util/quantity';
import type { Tone } from '../theme';

export interface ResizeState {
  readonly text: string;
  readonly tone: Tone | undefined;
  /** One sentence for the detail view. */
  readonly explain?: string;
}

const NONE: ResizeState = { text: '', tone: undefined };

export function resizeState(pvc: PVCRec): ResizeState {
  const has = (t: string) => pvc.conditions.some((c) => c.type === t && c.status === 'True');
  const rs = pvc.resizeStatus;
  if (has('ControllerResizeError') || rs === 'ControllerResizeInfeasible') return { text: 'failed (ctrl)', tone: 'error', explain: 'the controller (external-resizer) could not expand the volume: see the events and the resizer logs' };
  if (has('NodeResizeError') || rs === 'NodeResizeInfeasible') return { text: 'failed (node)', tone: 'error', explain: 'kubelet could not grow the file system on the node: see the events' };
  if (has('FileSystemResizePending') || rs === 'NodeResizePending') return { text: 'fs pending', tone: 'warning', explain: 'file system resize pending: it finishes when a pod mounts the volume (restart the pod using it)' };
  if (rs === 'NodeResizeInProgress') return { text: 'node expanding', tone: 'warning', explain: 'kubelet is growing the file system' };
  if (has('Resizing') || rs === 'ControllerResizeInProgress') return { text: 'expanding', tone: 'warning', explain: 'the controller is expanding the volume' };
  const req = quantityBytes(pvc.requested);
  const cap = quantityBytes(pvc.capacity);
  if (pvc.phase === 'Bound' && req > cap) return { text: 'requested', tone: 'warning', explain: 'a larger size was requested; no resizer has picked it up yet' };
  return NONE;
}
