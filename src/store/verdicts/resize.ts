// Volume expansion: ResizePending (FileSystemResizePending finishes only when a pod mounts the
// volume; a controller resize that takes long) and ResizeFailed (error conditions, infeasible
// allocated-resource statuses, resize failure events newer than the last success).
import type { Condition, PVCRec } from '../records';
import { claimIndex, isActivePod } from '../topology/volumes';
import { quantityBytes } from '../../util/quantity';
import { finding, GRACE, type Ctx } from './context';
import { ago, eventLines, eventsSince } from './evidence';
import { gist } from './signatures';
import type { Finding } from './types';

const FAIL_REASONS = /^(VolumeResizeFailed|FileSystemResizeFailed|ExternalResizeFailed|VolumeResizeInfeasible)$/;
const OK_REASONS = /^(VolumeResizeSuccessful|FileSystemResizeSuccessful)$/;

const cond = (pvc: PVCRec, type: string): Condition | undefined => pvc.conditions.find((c) => c.type === type && c.status === 'True');
const condLine = (c: Condition) => `condition ${c.type}${c.reason ? ` (${c.reason})` : ''}${c.message ? `: ${c.message}` : ''}`;

export function checkResizes(ctx: Ctx): Finding[] {
  const out: Finding[] = [];
  for (const pvc of claimIndex(ctx.store).unusual) {
    if (pvc.phase !== 'Bound' || pvc.deleting) continue;
    const f = resizeFinding(ctx, pvc);
    if (f) out.push(f);
  }
  return out;
}

function resizeFinding(ctx: Ctx, pvc: PVCRec): Finding | undefined {
  const { store, now } = ctx;
  const fsPending = cond(pvc, 'FileSystemResizePending');
  const resizing = cond(pvc, 'Resizing');
  const errorCond = cond(pvc, 'ControllerResizeError') ?? cond(pvc, 'NodeResizeError');
  const infeasible = /Infeasible$/.test(pvc.resizeStatus);
  // Parse sizes only when the strings differ: almost every claim has requested === capacity.
  const grows = pvc.requested !== pvc.capacity && quantityBytes(pvc.requested) > quantityBytes(pvc.capacity);
  // Cheap exit for the 99.9 %: nothing about a resize anywhere.
  if (!fsPending && !resizing && !errorCond && !infeasible && !grows && !pvc.resizeStatus) return undefined;

  const pv = pvc.volumeName ? store.get('PersistentVolume', '', pvc.volumeName) : undefined;
  const pods = store.podsUsingClaim(pvc.namespace, pvc.name).filter(isActivePod);
  const running = pods.filter((p) => p.phase === 'Running');
  const events = eventsSince(store, pvc, pvc.created);
  const lastFail = events.find((e) => FAIL_REASONS.test(e.reason));
  const lastOk = events.find((e) => OK_REASONS.test(e.reason));
  const sizes = `requested ${pvc.requested || '?'}, capacity ${pvc.capacity || '?'}${pvc.allocated ? `, allocated ${pvc.allocated}` : ''}${pvc.resizeStatus ? `, resize status ${pvc.resizeStatus}` : ''}`;
  const base = { driver: pv?.driver || null, affects: pods };
  const conds = [fsPending, resizing, errorCond].filter((c): c is Condition => !!c).map(condLine);

  const failedByEvent = !!lastFail && (!lastOk || lastFail.last > lastOk.last) && grows;
  if (errorCond || infeasible || failedByEvent) {
    const why = errorCond?.message || lastFail?.message || pvc.resizeStatus;
    return finding('ResizeFailed', 'error', pvc, {
      ...base,
      node: errorCond?.type === 'NodeResizeError' ? running[0]?.node || null : null,
      message: `expanding PVC ${pvc.namespace}/${pvc.name} to ${pvc.requested} fails: ${gist(why, 260)}`,
      evidence: [sizes, ...conds, ...eventLines(events.filter((e) => FAIL_REASONS.test(e.reason) || OK_REASONS.test(e.reason) || /Resiz/.test(e.reason)), now, 3)],
    });
  }
  if (fsPending || pvc.resizeStatus === 'NodeResizePending') {
    const since = fsPending?.lastTransition || 0;
    if (running.length === 0) {
      return finding('ResizePending', 'info', pvc, {
        ...base,
        message: `PVC ${pvc.namespace}/${pvc.name} waits for a file system resize, which finishes when a pod mounts it`,
        evidence: [sizes, ...conds],
      });
    }
    if (since && now - since < GRACE.nodeResize) return undefined;
    return finding('ResizePending', 'warning', pvc, {
      ...base,
      node: running[0].node,
      message: `PVC ${pvc.namespace}/${pvc.name} is mounted by ${running[0].namespace}/${running[0].name} but its file system has not grown for ${ago(now, since).replace(' ago', '')}: check the node plugin on ${running[0].node}`,
      evidence: [sizes, ...conds, ...eventLines(events, now, 3)],
    });
  }
  const inProgress = resizing ?? (pvc.resizeStatus === 'ControllerResizeInProgress' ? pvc.conditions[0] : undefined);
  if (inProgress && inProgress.lastTransition && now - inProgress.lastTransition >= GRACE.controllerResize) {
    return finding('ResizePending', 'warning', pvc, {
      ...base,
      message: `PVC ${pvc.namespace}/${pvc.name} has been resizing for ${ago(now, inProgress.lastTransition).replace(' ago', '')}: check the ${pv?.driver ?? ''} controller's csi-resizer`,
      evidence: [sizes, ...conds, ...eventLines(events, now, 3)],
    });
  }
  return undefined;
}
