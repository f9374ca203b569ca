// ControllerNotReady: no replica of a driver's controller (provisioner, attacher, resizer) is
// ready, so provisioning, attaching and resizing for that driver stop. A rollout where another
// replica is ready, or a replica still starting, is not a finding.
import type { PodRec } from '../records';
import type { DriverInfo } from '../topology/driver-index';
import { claimIndex, pvOfClaim } from '../topology/volumes';
import { finding, GRACE, nodeDown, type Ctx } from './context';
import { ago, eventLines, isBroken, isReady, podEvidence } from './evidence';
import type { Finding } from './types';

/** What waits on a driver's controller right now: pending claims, unattached volumes, resizes. */
export function waitingOnController(ctx: Ctx, driver: string): { what: string[]; pods: PodRec[] } {
  const { store } = ctx;
  const what: string[] = [];
  const pods: PodRec[] = [];
  for (const pvc of claimIndex(store).unusual) {
    const sc = pvc.storageClass ? store.get('StorageClass', '', pvc.storageClass) : undefined;
    const provisioner = pvc.provisioner || sc?.provisioner || '';
    const resizing = pvc.conditions.some((c) => c.type === 'Resizing' && c.status === 'True') || pvc.resizeStatus === 'ControllerResizeInProgress';
    const waitsForConsumer = sc?.bindingMode === 'WaitForFirstConsumer' && !pvc.selectedNode;
    if (pvc.phase === 'Pending' && provisioner === driver && !waitsForConsumer) what.push(`PVC ${pvc.namespace}/${pvc.name} waits to be provisioned`);
    else if (resizing && pvOfClaim(store, pvc)?.driver === driver) what.push(`PVC ${pvc.namespace}/${pvc.name} waits to be expanded`);
    else continue;
    pods.push(...store.podsUsingClaim(pvc.namespace, pvc.name).filter((p) => p.phase === 'Pending'));
  }
  for (const va of store.list('VolumeAttachment')) {
    if (va.attacher !== driver || va.attached || va.deleting) continue;
    what.push(`VolumeAttachment ${va.name} waits to attach ${va.pv} to ${va.node}`);
  }
  return { what, pods };
}

function leaseLines(ctx: Ctx, d: DriverInfo): string[] {
  return d.leases.map((l) => {
    const expired = l.lease.renewTime && l.lease.durationSeconds && ctx.now - l.lease.renewTime > l.lease.durationSeconds * 1000;
    return `lease ${l.lease.namespace}/${l.lease.name} (${l.sidecar}) held by ${l.lease.holder || 'nobody'}, renewed ${ago(ctx.now, l.lease.renewTime)}${expired ? ' — expired' : ''}`;
  });
}

export function checkControllers(ctx: Ctx): Finding[] {
  const { now } = ctx;
  const out: Finding[] = [];
  for (const d of ctx.idx.drivers.values()) {
    // Replicas on a node that is down report stale states; the rest decide.
    const live = d.controllers.filter((p) => !p.deleting && !nodeDown(ctx, p.node));
    if (live.length === 0 || live.some(isReady)) continue;
    if (!live.some(isBroken) && live.every((p) => now - p.created < GRACE.start)) continue;
    const waiting = waitingOnController(ctx, d.name);
    const target = ctx.idx.activeController(d.name) ?? live[0];
    out.push(
      finding('ControllerNotReady', waiting.what.length ? 'error' : 'warning', target, {
        driver: d.name,
        node: target.node,
        message: `no ${d.name} controller replica is ready (${live.map((p) => `${p.name} ${p.status}`).join(', ')}): provisioning, attaching and resizing are stopped`,
        evidence: [
          ...live.flatMap((p) => podEvidence(p, now)),
          ...live.flatMap((p) => eventLines(ctx.store.eventsFor(p).filter((e) => e.type === 'Warning' && e.last >= p.created), now, 2)),
          ...leaseLines(ctx, d),
          ...waiting.what.slice(0, 5),
        ],
        affects: waiting.pods,
      }),
    );
  }
  return out;
}
