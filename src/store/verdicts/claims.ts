// Claims and volumes that are not where they should be: PVCPending (with the provisioner's own
// words from ProvisioningFailed events), PVCLost, OrphanPV (Released/Failed volumes left behind).
// A claim waiting for its first consumer (WaitForFirstConsumer) is not pending by mistake.
import type { PodRec, PVCRec, PVRec } from '../records';
import { claimIndex, claimOfPV, isActivePod, volumeIndex } from '../topology/volumes';
import { canSee, finding, GRACE, installed, type Ctx } from './context';
import { ago, eventLines, eventsSince, isReady } from './evidence';
import { gist } from './signatures';
import type { Finding } from './types';

export function checkClaims(ctx: Ctx): Finding[] {
  const out: Finding[] = [];
  for (const pvc of claimIndex(ctx.store).unusual) {
    if (pvc.deleting) continue;
    if (pvc.phase === 'Pending') {
      const f = pendingClaim(ctx, pvc);
      if (f) out.push(f);
    } else if (pvc.phase === 'Lost') out.push(lostClaim(ctx, pvc));
  }
  for (const pv of volumeIndex(ctx.store).released) {
    const f = orphan(ctx, pv);
    if (f) out.push(f);
  }
  return out;
}

const consumersOf = (ctx: Ctx, pvc: PVCRec): PodRec[] => ctx.store.podsUsingClaim(pvc.namespace, pvc.name).filter(isActivePod);

function pendingClaim(ctx: Ctx, pvc: PVCRec): Finding | undefined {
  const { store, now, idx } = ctx;
  const pods = consumersOf(ctx, pvc);
  const scheduled = pods.filter((p) => p.node);
  const sc = pvc.storageClass ? store.get('StorageClass', '', pvc.storageClass) : undefined;
  const provisioner = pvc.provisioner || sc?.provisioner || '';
  const events = eventsSince(store, pvc, pvc.created);
  // FailedBinding is a Normal event (the PV controller's "no persistent volumes available…").
  const failures = events.filter((e) => e.reason === 'FailedBinding' || (e.type === 'Warning' && /ProvisioningFailed|ProvisioningCleanupFailed/.test(e.reason)));
  const age = now - pvc.created;
  const base = { driver: provisioner || null, node: pvc.selectedNode || scheduled[0]?.node || null, affects: pods };
  const scLine = sc ? `StorageClass ${sc.name}: provisioner ${sc.provisioner}, ${sc.bindingMode}` : '';

  if (pvc.storageClass && !sc && canSee(store, 'StorageClass')) {
    if (age < GRACE.pending) return undefined;
    return finding('PVCPending', pods.length ? 'error' : 'warning', pvc, {
      ...base,
      message: `PVC ${pvc.namespace}/${pvc.name} names StorageClass ${pvc.storageClass}, which does not exist`,
      evidence: [`Pending for ${ago(now, pvc.created).replace(' ago', '')}`, ...eventLines(events, now, 3)],
    });
  }
  // WaitForFirstConsumer: binding waits for a scheduled pod by design.
  if (sc?.bindingMode === 'WaitForFirstConsumer' && !pvc.selectedNode && scheduled.length === 0) return undefined;
  const provisioningFailed = failures.some((e) => e.reason !== 'FailedBinding');
  if (!provisioningFailed && age < GRACE.pending) return undefined;

  const info = idx.drivers.get(provisioner);
  const controllers = info?.controllers ?? [];
  const active = idx.activeController(provisioner);
  const controllerLines = controllers.length
    ? controllers.map((c) => `controller ${c.namespace}/${c.name}${c === active ? ' (leader)' : ''}: ${c.status} ${c.readyCount}/${c.containerCount}`)
    : provisioner && installed(info)
      ? [`no controller pod of ${provisioner} is visible`]
      : [];
  const evidence = [
    `Pending for ${ago(now, pvc.created).replace(' ago', '')}${pvc.requested ? `, requests ${pvc.requested}` : ''}`,
    ...(scLine ? [scLine] : []),
    ...eventLines(failures.length ? failures : events, now, 3),
    ...controllerLines,
    ...(pods.length && !scheduled.length ? [`its ${pods.length} pod(s) are not scheduled yet`] : []),
  ];
  if (failures.length) {
    const last = failures[0];
    return finding('PVCPending', last.reason === 'FailedBinding' && !pods.length ? 'warning' : 'error', pvc, {
      ...base,
      message:
        last.reason === 'FailedBinding'
          ? `PVC ${pvc.namespace}/${pvc.name} cannot bind: ${last.message}`
          : `provisioning PVC ${pvc.namespace}/${pvc.name} fails${provisioner ? ` (${provisioner} controller)` : ''}: ${gist(last.message)}`,
      evidence,
    });
  }
  const noneReady = controllers.length > 0 && !controllers.some(isReady);
  const severity = pods.length && age >= GRACE.pendingError ? 'error' : 'warning';
  return finding('PVCPending', severity, pvc, {
    ...base,
    message: noneReady
      ? `PVC ${pvc.namespace}/${pvc.name} is Pending: no ${provisioner} controller replica is ready`
      : `PVC ${pvc.namespace}/${pvc.name} is Pending for ${ago(now, pvc.created).replace(' ago', '')}${provisioner ? `, waiting for ${provisioner}` : ''}`,
    evidence,
  });
}

function lostClaim(ctx: Ctx, pvc: PVCRec): Finding {
  const pv = pvc.volumeName ? ctx.store.get('PersistentVolume', '', pvc.volumeName) : undefined;
  return finding('PVCLost', 'error', pvc, {
    driver: pv?.driver || null,
    message: `PVC ${pvc.namespace}/${pvc.name} is Lost: its volume ${pvc.volumeName || '(none)'} ${pv ? 'no longer points back at it' : 'no longer exists'}`,
    evidence: [`spec.volumeName: ${pvc.volumeName || '(empty)'}`, pv ? `PV ${pv.name}: ${pv.phase}, claimRef ${pv.claim ? `${pv.claim.namespace}/${pv.claim.name}` : '(none)'}` : 'PV not found', ...eventLines(ctx.store.eventsFor(pvc), ctx.now, 3)],
    affects: consumersOf(ctx, pvc),
  });
}

function orphan(ctx: Ctx, pv: PVRec): Finding | undefined {
  const { store, now } = ctx;
  if (pv.phase !== 'Released' && pv.phase !== 'Failed') return undefined;
  if (pv.claim && claimOfPV(store, pv)) return undefined; // still claimed: the PV controller will sort it out
  const events = eventsSince(store, pv, pv.phaseSince || pv.created).filter((e) => e.type === 'Warning');
  const claim = pv.claim ? `${pv.claim.namespace}/${pv.claim.name}` : '(none)';
  const info = pv.driver ? ctx.idx.drivers.get(pv.driver) : undefined;
  const driverDown = !!pv.driver && canSee(store, 'CSINode') && !installed(info);
  const evidence = [
    `PV ${pv.name}: ${pv.phase}${pv.phaseSince ? ` since ${ago(now, pv.phaseSince)}` : ''}, reclaim policy ${pv.reclaimPolicy}, was claimed by ${claim}`,
    ...(pv.message ? [`status: ${pv.message}`] : []),
    ...(driverDown ? [`its driver ${pv.driver} is no longer installed`] : []),
    ...eventLines(events, now, 3),
  ];
  const base = { driver: pv.driver || null, evidence, affects: [] };
  if (pv.phase === 'Failed') {
    return finding('OrphanPV', 'warning', pv, { ...base, message: `PV ${pv.name} failed to be reclaimed after ${claim} was deleted: the volume is left behind` });
  }
  if (pv.reclaimPolicy !== 'Delete') {
    return finding('OrphanPV', 'info', pv, { ...base, message: `PV ${pv.name} was released by ${claim} and kept (${pv.reclaimPolicy}): delete it or bind it again` });
  }
  // Released with Delete: normally gone within seconds; stuck only when it stays.
  const stuck = events.length > 0 || driverDown || (pv.phaseSince > 0 && now - pv.phaseSince >= GRACE.released);
  if (!stuck) return undefined;
  return finding('OrphanPV', 'warning', pv, { ...base, message: `PV ${pv.name} was released by ${claim} but is not being deleted${driverDown ? ': its driver is gone' : ''}` });
}
