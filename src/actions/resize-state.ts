// A claim's expansion as it happens, from its conditions, allocatedResourceStatuses, the
// request/capacity difference and its events (seed 002): requested → controller expanding
// (ExternalExpanding, Resizing) → file system resize pending until a pod mounts it → done, or
// failed with the message. One pure function: the :pvc RESIZE column, the PVC detail, the resize
// dialog's progress and the tests all read it.
import type { EventRec, PVCRec } from '../store/records';
import type { StoreReader } from '../store/store';
import { quantityBytes } from '../util/quantity';
import { ago } from '../util/time';
import type { Tone } from '../views/theme';

export type ResizeStage = 'requested' | 'expanding' | 'node-expanding' | 'fs-pending' | 'done' | 'failed';

export interface ResizeState {
  /** Undefined when no resize is going on or just ended. */
  readonly stage?: ResizeStage;
  /** One or two words for the RESIZE column ('' when nothing). */
  readonly text: string;
  readonly tone: Tone | undefined;
  /** One sentence for the detail view and the dialog. */
  readonly explain?: string;
  /** The failure's own words (condition or event message), verbatim. */
  readonly message?: string;
}

/** How long a finished expansion shows as done. */
export const DONE_MS = 10 * 60_000;

const FAIL_REASONS = /^(VolumeResizeFailed|FileSystemResizeFailed|ExternalResizeFailed|VolumeResizeInfeasible)$/;
const OK_REASONS = /^(VolumeResizeSuccessful|FileSystemResizeSuccessful)$/;
const NONE: ResizeState = { text: '', tone: undefined };

/**
 * The state of one claim. `events` are the claim's, newest first (store.eventsFor); without them
 * only conditions and sizes count (no done, no failure known only from events).
 */
export function resizeState(pvc: PVCRec, events: readonly EventRec[] = [], now = 0): ResizeState {
  const cond = (t: string) => pvc.conditions.find((c) => c.type === t && c.status === 'True');
  const rs = pvc.resizeStatus;
  const lastFail = events.find((e) => FAIL_REASONS.test(e.reason));
  const lastOk = events.find((e) => OK_REASONS.test(e.reason));
  const ctrlErr = cond('ControllerResizeError');
  const nodeErr = cond('NodeResizeError');
  if (ctrlErr || rs === 'ControllerResizeInfeasible') {
    return { stage: 'failed', text: 'failed (ctrl)', tone: 'error', explain: 'the controller (external-resizer) could not expand the volume: see the events and the resizer logs', message: ctrlErr?.message || lastFail?.message || rs };
  }
  if (nodeErr || rs === 'NodeResizeInfeasible') {
    return { stage: 'failed', text: 'failed (node)', tone: 'error', explain: 'kubelet could not grow the file system on the node: see the events', message: nodeErr?.message || lastFail?.message || rs };
  }
  const fsPending = cond('FileSystemResizePending');
  const resizing = cond('Resizing');
  const grows = pvc.phase === 'Bound' && pvc.requested !== pvc.capacity && quantityBytes(pvc.requested) > quantityBytes(pvc.capacity);
  // A failure event newer than the last success and than the progress since: the resizer retries.
  const progressSince = Math.max(fsPending?.lastTransition ?? 0, resizing?.lastTransition ?? 0);
  if (grows && lastFail && (!lastOk || lastFail.last > lastOk.last) && lastFail.last >= progressSince) {
    return { stage: 'failed', text: 'failed', tone: 'error', explain: `expanding to ${pvc.requested} failed ${ago(now, lastFail.last)} (${lastFail.reason}); the resizer retries`, message: lastFail.message };
  }
  if (fsPending || rs === 'NodeResizePending') {
    return { stage: 'fs-pending', text: 'fs pending', tone: 'warning', explain: 'the volume grew, its file system not yet (FileSystemResizePending)', ...(fsPending?.message ? { message: fsPending.message } : {}) };
  }
  if (rs === 'NodeResizeInProgress') return { stage: 'node-expanding', text: 'node expanding', tone: 'warning', explain: 'kubelet is growing the file system' };
  if (resizing || rs === 'ControllerResizeInProgress') return { stage: 'expanding', text: 'expanding', tone: 'warning', explain: 'the controller (external-resizer) is expanding the volume' };
  if (grows) {
    const handed = events.find((e) => e.reason === 'ExternalExpanding' || e.reason === 'Resizing');
    if (handed && (!lastOk || handed.last >= lastOk.last)) return { stage: 'expanding', text: 'expanding', tone: 'warning', explain: `handed to the external resizer (${handed.reason})` };
    return { stage: 'requested', text: 'requested', tone: 'warning', explain: `${pvc.requested} was requested; no resizer has picked it up yet` };
  }
  if (lastOk && now - lastOk.last < DONE_MS) return { stage: 'done', text: 'done', tone: 'ok', explain: `grew to ${pvc.capacity} (${lastOk.reason} ${ago(now, lastOk.last)})` };
  return NONE;
}

/** The state of a claim in the store: its events are read only when something about a resize shows. */
export function claimResize(store: StoreReader, pvc: PVCRec, now: number): ResizeState {
  const touched = pvc.conditions.length > 0 || pvc.resizeStatus !== '' || pvc.allocated !== '' || pvc.requested !== pvc.capacity;
  return resizeState(pvc, touched ? store.eventsFor(pvc) : [], now);
}

/** What finishes a pending file system resize, offering the restart action (key R) when pods use the claim. */
export function pendingAdvice(pods: readonly { readonly namespace: string; readonly name: string }[]): string {
  if (pods.length === 0) return 'finishes when a pod mounts it: no pod uses it now, start one';
  const names = pods.slice(0, 3).map((p) => `${p.namespace}/${p.name}`).join(', ');
  return `finishes when a pod mounts it: restart ${names}${pods.length > 3 ? ` and ${pods.length - 3} more` : ''}? (R)`;
}
