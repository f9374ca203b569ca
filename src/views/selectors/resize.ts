// A PVC's expansion state in one word, from its conditions, allocatedResourceStatuses and the
// request/capacity difference (seed 002: requested → controller expanding → file system resize
// pending until a pod mounts it → done, or failed).
import type { PVCRec } from '../../store/records';
import { quantityBytes } from '../../util/quantity';
import type { Tone } from '../theme';

export interface ResizeState {
  readonly text: string;
  readonly tone: Tone | undefined;
}

const NONE: ResizeState = { text: '', tone: undefined };

export function resizeState(pvc: PVCRec): ResizeState {
  const has = (t: string) => pvc.conditions.some((c) => c.type === t && c.status === 'True');
  const rs = pvc.resizeStatus;
  if (has('ControllerResizeError') || rs === 'ControllerResizeInfeasible') return { text: 'failed (controller)', tone: 'error' };
  if (has('NodeResizeError') || rs === 'NodeResizeInfeasible') return { text: 'failed (node)', tone: 'error' };
  if (has('FileSystemResizePending') || rs === 'NodeResizePending') return { text: 'fs pending (needs pod)', tone: 'warning' };
  if (rs === 'NodeResizeInProgress') return { text: 'node expanding', tone: 'warning' };
  if (has('Resizing') || rs === 'ControllerResizeInProgress') return { text: 'expanding', tone: 'warning' };
  const req = quantityBytes(pvc.requested);
  const cap = quantityBytes(pvc.capacity);
  if (pvc.phase === 'Bound' && req > cap) return { text: 'requested', tone: 'warning' };
  return NONE;
}
